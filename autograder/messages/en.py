"""Every sentence the kit shows a learner or an instructor, in English.

Keys and ``{placeholders}`` are the same in every language (tests/test_translations.py).
Groups: where a case is; how a check went; how a value differs; why a function
stopped; diagnoses (``diagnosis.<id>``, the hints that are not a catalogued
mistake's); notebook problems and flags; feedback pages; the class summary;
the console.
"""

WORDS: dict[str, str] = {
    # -- where a case is: "the lesson's example (X (4, 3, 3, 2), pad 2)", "hidden case 2 of 5 (...)" ---------
    "example": "the lesson's example",
    "case": "{kind} case {position} of {count}",
    "hidden": "hidden",
    "timing": "timing",
    "visible": "visible",
    "place": "{label} ({description})",
    "gradient_case": ", compared with a numerical gradient",
    "digits_place": "the {which} digits",
    # -- how a check went -------------------------------------------------------------------------------
    "passed_one": "{function}: the one {kind} case passes.",
    "passed_many": "{function}: all {count} {kind} cases pass.",
    "passed_speed": "{function}: fast enough ({took}, {share} of the {allowed} allowed here).",
    "passed_accuracy": "{function}: {accuracy} of the {count} {which} digits are classified correctly "
                       "(at least {needed} needed).",
    "not_right": "{function} is not right yet, on {place}.",
    "not_written": "{function} is not finished yet: replace every `raise NotImplementedError()` in its cell with "
                   "your code, run that cell, then run this check again.",
    "missing": "{function} is not defined. Keep its cell (grade id {function!r}) in the notebook, with the "
               "function's name and signature as given.",
    "cell_failed": "Your cell {grade_id!r} did not run: {error}. Fix it so that the whole cell runs without an error.",
    "stopped": "{function} did not finish, on {place}: {reason}.",
    "too_slow": "{function} is too slow, on {place}: it took {took}, and the time allowed on this machine is "
                "{allowed} ({factor} times the {calibration} that numpy needs here to copy and multiply a matrix "
                "of the size of this layer's patch matrix, {shape}).",
    "wrong_when_timed": "{function} gave a wrong answer in its timed run, on {place} with slightly changed inputs. "
                        "Every run of a timing check must compute its answer.",
    "not_accurate": "{function} is not good enough yet: it classifies {accuracy} of the {count} {which} digits "
                    "correctly, and at least {needed} is needed.",
    "not_graded": "The notebook could not be read, so {function} was not graded.",
    "hint": "Hint: {hint}",
    "hint_label": "Hint:",  # with its punctuation: a language has its own
    "hint_many": "{count} things to fix, in this order: {items}",
    "hint_one_line": "{count} findings, the errors all raised by `{line}`, each on cases of its own (one mistake "
                     "may cause them all): {items}",
    "sentences_joined": " ",  # between two sentences of a hint
    "hint_item": "({number}) {text}",
    "not_callable": "check({function!r}, ...) needs the function itself, but got {type}.",
    "unknown_function": "{assignment!r} has no checks for {function!r}; it checks: {known}",
    "unknown_assignment": "there are no checks for an assignment {assignment!r}; installed: {known}",
    "no_timing_check": "{assignment!r} has no timing check for {function!r}; it times: {known}",
    "no_timing_checks": "{assignment!r} has no timing checks.",
    "which_test": "test",
    "which_training": "training",
    "see_above": "{function} did not pass its check: see the message above.",
    # -- how a returned value differs --------------------------------------------------------------------
    "not_array": "{name} should be an array of shape {shape}, but it is {got}.",
    "wrong_shape": "{name} has shape {got}, but it should have shape {expected}.",
    "not_numbers": "{name} should hold numbers, but its dtype is {dtype}.",
    "not_boolean": "{name} should hold only True and False (or 1 and 0), but at index {index} it holds {got}.",
    "wrong_value": "{name} should be {expected}, but it is {got}.",
    "wrong_entries": "{name} differs in {wrong} of {size} entries; at index {index} it should be {expected}, "
                     "but it is {got}.",
    "not_number": "{name} should be a single number, but it is {got}.",
    "not_tuple": "{name} should be a tuple of {count} items, but it is {got}.",
    "wrong_length": "{name} should hold {count} items, but it holds {got}.",
    "not_dict": "{name} should be a dict with the keys {keys}, but it is {got}.",
    "missing_key": "{name} has no entry {key!r}.",
    "wrong_count": "{function} should return {count} values ({names}), but it returned {got}.",
    "unreadable": "What {name} returned could not be read.",
    "too_large": "What {name} returned takes {mib} MiB, more than an answer may hold: return only the outputs "
                 "and the cache that the function describes.",
    "raised": "Calling it raised {text}{where}.",
    "raised_at": " (in your line `{line}`)",
    "shown_array": "an array of shape {shape}",
    "shown_none": "None",
    "shown_tuple": "a tuple of {length} items",
    "shown_list": "a list of {length} items",
    "shown_dict": "a dict",
    "shown_other": "a {type}",
    "shown_number": "the number {number}",
    "shown_values": "{count} values",
    "shown_one": "one {type}",
    # -- why a function stopped ----------------------------------------------------------------------------
    "stop_call_timeout": "it ran past the limit of {seconds} s per call",
    "stop_submission_timeout": "the submission ran past its limit of {seconds} s",
    "stop_memory": "its processes together held more than {limit_mib} MiB of memory ({used_mib} MiB), so all of "
                   "them were stopped",
    "stop_exited": "the process ended (exit status {status})",
    "stop_not_timed": "it was not timed",
    "stop_no_answer": "the sandbox stopped answering",
    "stop_garbled": "what came back from the sandbox could not be read (malformed, too large or nested too deep)",
    # -- what a learner's function was judged against, again -----------------------------------------------
    "with_reference_helpers_pass": "With the reference {helpers} in place of yours, {function} passes every "
                                   "case: the rest of {function} is right.",
    "with_reference_helpers_fail": "With the reference {helpers} in place of yours, {function} still fails: "
                                   "{problem}",
    # -- diagnoses: what went wrong, when it is not a catalogued mistake ------------------------------------
    "diagnosis.returned_none": "{function} returned None: is its `return` statement missing, or indented into "
                               "a loop or an if?",
    "diagnosis.numpy2_scalar_conversion": "`{call}` was given an array that holds one number but has "
                                          "dimensions, such as the bias b of shape (1, 1, 1): numpy 2 turns only "
                                          "0-dimensional arrays into a Python number (numpy 1 allowed it). {fix}",
    "diagnosis.numpy_alias_removed": "`np.{alias}` no longer exists in numpy (it was removed in numpy 1.24). {fix}",
    "diagnosis.item_fix": "Take the number out with `.item()` instead (e.g. `b.item()`, or `Z.item()` once the bias "
                          "is added): it works on numpy 1 and 2.",
    "diagnosis.alias_fix": "Use the built-in `{builtin}` for a Python number; for an array that holds one number "
                           "(such as the bias b of shape (1, 1, 1)) use `.item()`, which works on numpy 1 and 2.",
    "diagnosis.fix_passes": "Write `{new}` there (it works on numpy 1 and 2): with that change, your function "
                            "passes every case.",
    "diagnosis.fix_error_gone": "Write `{new}` there (it works on numpy 1 and 2): that ends the error, and what "
                                "still goes wrong after it is below.",
    "diagnosis.fix_untried": "For example `{new}` (it works on numpy 1 and 2).",
    "diagnosis.array_where_number_needed": "an array was stored where one number belongs: `{line}` writes into a "
                                           "single entry, but the value on the right is an array. Make it one "
                                           "number: take a single entry (for example b[0, 0, 0, c] rather than b[..., c], or "
                                           ".item()), and where it comes from a helper such as conv_single_step, have "
                                           "the helper return one number (a float).",
    "diagnosis.float_size": "a size or an index is a float: `/` always gives a float in Python 3. Use `//` "
                            "(floor division) for the output sizes n_H, n_W and for the window positions.",
    "diagnosis.index_out_of_bounds": "an index went past the end of an array (axis {axis}, of size {size}): check "
                                     "the loop bounds (range(n_H), range(n_W), ...), that a window starts at "
                                     "h * stride and ends f further, and that height and width are not swapped.",
    "diagnosis.broadcast_short_slice": "two arrays of shapes {shapes} met where they must have the same shape, "
                                       "so a slice came out empty or too short. `[pad:-pad]` is empty when pad "
                                       "is 0 (use `[pad:pad + n_H_prev]`); a window must end at vert_start + f, "
                                       "inside the (padded) input.",
    "diagnosis.raised_when": "{text} This error comes on {failed} of the {of} cases tried {when_wrong}, and on none "
                             "{when_right}.",
    "diagnosis.windows_of_unpadded_input": "in `{line}`, the array of shape {shape} has {rows} x {cols} window "
                                           "positions: as many as the input has without its padding. With pad = "
                                           "{pad} the padded input has {n_H} x {n_W} (the output's n_H x n_W), so "
                                           "these windows were cut from the input before it was padded. Take them "
                                           "from the padded input.",
    "diagnosis.windows_tiled": "in `{line}`, the array of shape {shape} has {rows} rows and {cols} columns: n_H * f "
                               "by n_W * f, one f x f block per window ({n_H} x {n_W} windows), side by side, as if "
                               "the windows tiled the input. They do only when stride = f; here stride = {stride} "
                               "and f = {f}. Put each window's share onto its own rows and columns of the input "
                               "(starting at h * stride, w * stride), and add the shares up where windows overlap.",
    "diagnosis.remainder_rows_missing": "{name} came out with shape {got}, {rows} row(s) and {cols} column(s) "
                                        "short of the input's {expected}: exactly the last rows and columns, which "
                                        "no window reaches when the stride ({stride}) does not divide n_H_prev + 2 * "
                                        "pad - f. Their gradient is 0, but they must be there: make the result the "
                                        "input's size (the padded gradient has n_H_prev + 2 * pad rows; a dilated dZ "
                                        "spans n_H_prev + 2 * pad - f + 1 rows, the last ones zeros).",
    "diagnosis.remainder_rows_raised": "`{line}` raises a shape error only where the stride does not divide n_H_prev "
                                       "+ 2 * pad - f: on {count} of the {total} cases and probes where it does not, "
                                       "and on none of the {others} where it does. An array there lacks the last rows and columns, which "
                                       "no window reaches ({rows} row(s) and {cols} column(s) on the first of "
                                       "them, with stride {stride}). Their gradient is 0, but they must be there: size the array from "
                                       "the input, not from the output (the padded gradient has n_H_prev + 2 * pad "
                                       "rows; a dilated dZ spans n_H_prev + 2 * pad - f + 1 rows, the last ones "
                                       "zeros).",
    "diagnosis.remainder_rows_raised_and_silent": "`{line}` raises a shape error only where the stride does not "
                                                  "divide n_H_prev + 2 * pad - f: on {count} of the {total} cases "
                                                  "and probes where it does not, and on none of the {others} where it "
                                                  "does; {silent} more where it does not divide give wrong values "
                                                  "without an error, and none where it divides. An array there lacks "
                                                  "the last rows and columns, which no window reaches ({rows} row(s) "
                                                  "and {cols} column(s) on the first of them, with stride {stride}). "
                                                  "Their gradient is 0, but they must be there: size the array from "
                                                  "the input, not from the output (the padded gradient has n_H_prev + "
                                                  "2 * pad rows; a dilated dZ spans n_H_prev + 2 * pad - f + 1 rows, "
                                                  "the last ones zeros).",
    "diagnosis.stale_state": "`{line}` takes its object from {name}, which another call sets: on other inputs "
                             "{name} is None when this line runs (it has no .{attribute}), and here it held what an "
                             "earlier call left there, made from another input, so its {attribute} failed on that "
                             "input's shapes. A graded function is called on its own, with its inputs: take what it "
                             "needs from its arguments (the cache), not from an earlier call.",
    "diagnosis.axis_padded": "in `{line}`, an array has {padded} = {size} + 2 * pad (pad = {pad}) along its {axis} "
                             "axis, where the case has {size}: that axis was padded too. np.pad(X, pad) pads every "
                             "axis; pad the height and the width only: give np.pad one (before, after) pair per "
                             "axis, (pad, pad) for the height and the width and (0, 0) for every other axis, in the "
                             "order of your array's axes.",
    "diagnosis.size_rounded_up": "{name} came out with shape {got}, where it should be {expected}: {n_H} x {n_W} "
                                 "window positions, not {right_H} x {right_W}. That is (n_prev + 2 * pad - f) / "
                                 "stride + 1 rounded up (here f = {f}, stride = {stride}, pad = {pad}), and so it is on "
                                 "every case that fails, while every case where the stride divides n_prev + 2 * pad - "
                                 "f passes.{also_raised} A window must fit inside the (padded) input: round the number "
                                 "of window positions down, with floor division, for the height and the width alike.",
    "diagnosis.size_f_stride_swapped": "{name} came out with shape {got}, where it should be {expected}: {n_H} x "
                                       "{n_W} window positions, not {right_H} x {right_W}. That is (n_prev + 2 * pad "
                                       "- stride) // f + 1, the size with f and stride the other way round (here f = "
                                       "{f}, stride = {stride}), and so it is on every case that fails, while every "
                                       "case where the two formulas agree (such as stride = f) passes.{also_raised} "
                                       "The output size is (n_prev + 2 * pad - f) // stride + 1: check the order of "
                                       "the arguments where the size is computed.",
    "diagnosis.size_also_raised": " On {raised} other failing case(s), where the two formulas differ too, the "
                                  "function raised an error instead.",
    "diagnosis.output_axes_padded": "{name} came out with shape {got}, where it should be {expected}: its {axes} "
                                    "axis has {counts} (pad = {pad}), 2 * pad entries too many, on every case with "
                                    "padding, and every case without padding passes: that axis was padded too. Pad "
                                    "the height and the width only: give np.pad (pad, pad) for each of them and (0, "
                                    "0) for every other axis.",
    "axis_list_join": " and ",
    "diagnosis.scatter_without_add_at": "`{line}` (in {where}) adds through an index of arrays. Where that index "
                                        "names the same entry twice (an input entry that several windows cover), "
                                        "+= keeps only one of the shares instead of adding them all: numpy reads, "
                                        "adds and writes each entry once. np.add.at adds every share.{fix}",
    "diagnosis.loop_name_reused": "`{line}` (in {where}) counts with {name}, a name that {where} also gives "
                                  "another value and reads outside this loop: once the loop has run, {name} holds "
                                  "the loop's last count, not that value.{fix}",
    "diagnosis.loop_rename_passes": " Give the counter a name of its own: with `{new}`, and {renamed} for {name} "
                                    "inside that loop, your function passes every case.",
    "diagnosis.helper_writes_its_input": "{helper} writes into the array it is given (`{write}`), and `{line}` (in "
                                         "{where}) gives it {argument}, not a copy: those writes change the data "
                                         "{where} works on.{fix}",
    "diagnosis.copied_argument_passes": " Either hand {helper} a copy: with `{new}` there, {where} passes every "
                                        "case; or have {helper} build what it returns without writing into "
                                        "{parameter}.",
    "diagnosis.mode_misspelled": "`{line}` (in {where}) compares mode with a word the function is never given, "
                                 "so with mode={mode!r} that branch never runs.{fix}",
    "diagnosis.minus_one_extra": "`{line}` (in {where}) takes away a 1 that does not belong there. Where that value "
                                 "ends a slice: a:b already stops before b, so the f entries from a are a:a + f."
                                 "{fix}",
    "diagnosis.division_precedence": "`{line}` (in {where}) divides by {divisor}, then multiplies by {factor}: "
                                     "a / b * c is read (a / b) * c, not a / (b * c).{fix}",
    "diagnosis.floor_division": "every value came out as the right one rounded down to a whole number: `{line}` (in "
                                "{where}) divides with //, floor division, which rounds down.{fix}",
    "diagnosis.strides_of_another_array": "`{line}` (in {where}) takes the byte steps from {other}.strides, but the "
                                          "window view is made on {array} (as_strided({array}, ...)): where the two "
                                          "arrays differ in shape (a padded array has longer rows than the unpadded "
                                          "one, for example), the steps land on the wrong entries.{fix}",
    "diagnosis.strides_assume_contiguous": "the byte steps given to as_strided in `{line}` (in {where}) are those of "
                                           "{array} laid out in order, but {array} is not: a transpose or a slice "
                                           "changes only how the same memory is read, so the view reads the wrong "
                                           "entries.{fix}",
    "diagnosis.used_before_its_loop": "`{line}` uses {name} before anything gave it a value: in {where}, {name} is "
                                      "set only by the loop `{loop}`, which comes after this line. Move the line "
                                      "inside that loop, after its `for`.",
    "diagnosis.name_from_other_branch": "`{line}` uses {name}, which in {where} is set only in the other branch of "
                                        "`if {test}`: on a case that takes this branch, {name} never gets a value. "
                                        "Compute what this branch needs in this branch too.",
    "diagnosis.caught_by": "your own check `{line}` stopped the function on this case; taken out, the function "
                           "still fails, and this is why: {text}",
    "axis_name.batch": "batch (examples)",
    "axis_name.channel": "channel",
    "diagnosis.unpad_negative_slice": "your code cuts with [pad:-pad], which is empty when pad is 0 (-0 is 0), and "
                                      "an array came out empty or too short here, at pad 0 (`{line}`). Slice "
                                      "[pad:pad + n_H_prev, pad:pad + n_W_prev] instead.",
    "diagnosis.slice_too_short": "two arrays of shapes {shapes} met where they must have the same shape: one came "
                                 "out shorter along one axis (a slice that ends too early, or starts too late). Print "
                                 "the shapes of both sides of `{line}`.",
    "diagnosis.pad_width_axes": "`{line}` gives np.pad {pairs} (before, after) pairs, but the array has {axes} axes: "
                                "give one pair per axis, ((0, 0), (pad, pad), (pad, pad), (0, 0)) for a batch "
                                "(m, n_H, n_W, n_C).",
    "diagnosis.pad_width_negative": "`{line}` gives np.pad a negative width on this case: np.pad only adds rows and "
                                    "columns, it cannot take them away. Print the widths you pass; where one is below "
                                    "0, pad by 0 there and cut that many rows and columns off instead.",
    "diagnosis.pad_width_negative_beyond_f": "`{line}` gives np.pad a negative width on every case and probe where "
                                             "pad > f - 1 ({count} of them), and on none of the {others} where pad <= "
                                             "f - 1: a width such as f - 1 - pad (a full convolution pads dZ by it) is "
                                             "below 0 exactly there, and np.pad cannot cut. Where the width is "
                                             "negative, pad by 0 and cut that many rows and columns off instead (or "
                                             "pad by f - 1, then drop the first pad rows and columns).",
    "diagnosis.attribute_not_set": "`{line}` reads self.{attribute}, which this {cls} object does not have when it "
                                   "runs: only another method (forward?) sets it, and the graded function is called "
                                   "on its own. Take what it needs from the function's arguments (the cache), not "
                                   "from an earlier call.",
    "diagnosis.broadcast_mismatch": "two arrays of shapes {shapes} cannot be combined: {why} Print the shapes of "
                                    "both sides of `{line}`.",
    "broadcast_why.axes": "an axis is in the wrong place or a dimension is missing.",
    "broadcast_why.sizes": "they have as many axes, but other sizes along {count} of them: one of them was made or "
                           "cut with other sizes than the other (a window of another size, or a shape built from "
                           "other numbers).",
    "diagnosis.undefined_helper": "{function} calls `{name}`, which is not defined where it runs: run the cell "
                                  "that defines {name} first, and keep its name as given.",
    "diagnosis.undefined_name": "the name `{name}` is not defined in your notebook: define or import it in a cell "
                                "above, and run that cell.",
    "diagnosis.numpy_not_imported": "`{name}` is not defined: numpy is imported as `np` in the first cell; run "
                                    "that cell, and use `np.`.",
    "diagnosis.unpack_mismatch": "a shape or a cache was unpacked into the wrong number of names ({detail}). "
                                 "A_prev.shape and W.shape have 4 entries each, a convolution's cache is "
                                 "(A_prev, W, b, hparameters), a pooling layer's is (A_prev, hparameters).",
    "diagnosis.hparameter_key": "hparameters has no key {key}: a convolution's hparameters hold \"stride\" and "
                                "\"pad\", a pooling layer's \"f\" and \"stride\".",
    "diagnosis.none_used": "None was used as a value (`{line}`): a function returned None, because its `return` "
                           "is missing or sits in a branch that did not run.",
    "diagnosis.none_from_helper": "`{line}` uses what {helper} returned, and {helper} returned None: its `return` "
                                  "is missing, or it sits inside a branch (an if, a loop) that this call did not take.",
    "diagnosis.own_assert": "your own check `{line}` stopped {function} on this case{with_values}{with_message}. "
                            "Either what it assumes is not true of every input the function must handle (then "
                            "remove it, and handle this case too), or what it checks came out wrong in your code "
                            "above it.",
    "diagnosis.own_raise": "your own `{line}` stopped {function} on this case{with_values}. The function must handle "
                           "every input of the lesson's contract: look at the condition that led to that raise.",
    "diagnosis.with_values": ", where {values}",
    "diagnosis.with_message": " (its message: {message})",
    "diagnosis.key_missing": "`{line}` looks up the key {key}, which is not there.",
    "diagnosis.index_range": "`{line}` reads past the end of a tuple or a list: A_prev.shape and W.shape have 4 "
                             "entries (0 to 3), conv_forward's cache 4 (A_prev, W, b, hparameters), "
                             "pool_forward's cache 2 (A_prev, hparameters).",
    "diagnosis.reshape_size": "a reshape asked for another number of entries than the array holds ({detail}): "
                              "check the sizes you multiply together (m * n_H * n_W, f * f * n_C_prev).",
    "diagnosis.matmul_mismatch": "the two matrices of a product do not fit together ({detail}): the columns of "
                                 "the left one must match the rows of the right one, e.g. f * f * n_C_prev for "
                                 "the patches and the reshaped filters.",
    "diagnosis.einsum_subscripts": "the einsum subscripts do not fit the operands: each operand needs one "
                                   "letter per axis, and letters that appear in two operands must have the "
                                   "same length there.",
    "diagnosis.none_attribute": "`{name}` is None when `{line}` runs, so it has no .{attribute}: whatever should "
                                "set it (another function's call, such as the forward pass, or a branch) has not run "
                                "before this call. A graded function is called on its own, with its inputs: take what "
                                "it needs from its arguments (the cache), not from an earlier call.",
    "diagnosis.einsum_label_sizes": "in `{line}`, np.einsum's letter {label} stands for axes of two different "
                                    "lengths ({sizes}) in two operands. Either the letters or the shape of an operand "
                                    "is not what you meant: print the operands' shapes.",
    "diagnosis.einsum_channel_letters": "in `{line}`, np.einsum's letter {letter} stands for {n_C} entries in one "
                                        "operand and {n_C_prev} in another: n_C = {n_C}, the output's channels, and "
                                        "n_C_prev = {n_C_prev}, the input's. A channel axis has the other channel's "
                                        "letter: n_C_prev is the input's channel axis and W's third axis (W is given "
                                        "as (f, f, n_C_prev, n_C)), n_C is Z's (or dZ's) channel axis and W's fourth. "
                                        "Give each axis the letter of what it holds.{fix}",
    "diagnosis.edit_fix_passes": " Write `{new}` there: with that change, your function passes every case.",
    "diagnosis.edit_fix_error_gone": " Write `{new}` there: that ends the error, but with that change your "
                                     "function still fails some cases.",
    "diagnosis.einsum_shapes": "np.einsum's operands (of shapes {shapes}) do not fit its subscripts in `{line}`: a "
                               "letter that two operands share has two different lengths there, or an operand has "
                               "another number of axes than its letters. Either the letters or the shape of an "
                               "operand is not what you meant: print the operands' shapes.",
    "diagnosis.tuple_for_array": "a tuple or a list was used where an array belongs: a cache is a tuple, so "
                                 "unpack it into its parts first (the function's docstring lists them).",
    "diagnosis.mode_fell_through": "with mode={mode!r} nothing was computed: compare the mode with exactly "
                                   "\"max\" and \"average\".",
    "diagnosis.recursion": "{function} calls itself without end: inside it, call the helper (e.g. "
                           "conv_single_step), not {function}.",
    "diagnosis.division_by_zero": "a division by zero: a size came out 0. Check the output sizes and the "
                                  "window's area.",
    "diagnosis.all_zeros": "{name} is all zeros: no value other than 0 reached it. Does a loop run over an "
                           "empty range, or is a result computed but never stored?",
    "diagnosis.all_zeros_fractions": "{name} is all zeros, where every entry should be a fraction between -1 and "
                                     "1: either no value other than 0 reached it (a loop over an empty range, a result "
                                     "never stored), or each value lost its fraction (an array of integers, such "
                                     "as np.zeros(..., dtype=int), or // where / belongs).",
    "diagnosis.cut_to_whole_numbers": "every entry of {name} is the right value with its fraction cut off: it "
                                      "holds whole numbers only. Was it made as an array of integers (dtype=int, "
                                      "or np.zeros_like of an integer array), or divided with // where / belongs?",
    "diagnosis.not_finite": "{name} holds NaN or infinite values: something was divided by zero or grew "
                            "without bound.",
    "diagnosis.off_by_factor": "{text}",
    "diagnosis.factor_named_up": "on every case where it fails, every entry of {name} is {quantity} times what it "
                                 "should be{on_this_case}: a product with it is extra, or a division by it is "
                                 "missing.",
    "diagnosis.factor_named_down": "on every case where it fails, every entry of {name} is what it should be "
                                   "divided by {quantity}{on_this_case}: a division by it is extra, or a product "
                                   "with it is missing.",
    "diagnosis.factor_value": " ({value} on this case)",
    "diagnosis.factor_unnamed": "on every case where it fails, every entry of {name} is {factor} times what it "
                                "should be: a division or a multiplication is missing or extra.{candidates}",
    "diagnosis.factor_candidates": " On those cases, each of these equals it: {candidates}.",
    "quantity.window_area": "the window's area f * f",
    "quantity.window_side": "the window's side f",
    "quantity.window_cube": "the cube of the window's side, f * f * f",
    "quantity.window_volume": "the window's volume f * f * n_C_prev",
    "quantity.batch": "the number of examples m",
    "quantity.positions": "the number of output positions n_H * n_W",
    "quantity.batch_positions": "the number of examples times the output positions, m * n_H * n_W",
    "quantity.channels": "the number of output channels n_C",
    "quantity.input_channels": "the number of input channels n_C_prev",
    "quantity.stride": "the stride",
    "quantity.stride_squared": "the square of the stride, stride * stride",
    "diagnosis.bias_missing": "on every case where it fails, {name} lacks the bias b: add b, once, to each entry.",
    "diagnosis.bias_counted": "on every case where it fails, {name} holds the bias b {times} times in each entry "
                              "instead of once: add b exactly once.",
    "diagnosis.fixes_all_factor": "{text} Without that factor, your function passes every case.",
    "diagnosis.fixes_all_bias": "{text} With b added once, your function passes every case.",
    "diagnosis.fixes_all": "{text} With that changed, your function passes every case.",
    "diagnosis.with_helpers": "With correct answers from {helpers} in place of yours, {function} still fails: {text}",
    "diagnosis.constant_offset": "{name} is off by the same amount, {offset}, in every entry{per_channel}: a "
                                 "term that is added (the bias?) is missing or counted more than once.",
    "diagnosis.per_channel": " of each channel",
    "diagnosis.values_misplaced": "{name} holds the right values at the wrong places: {how}.",
    "diagnosis.values_moved": "{name} holds the right values moved by {rows} row(s) and {cols} column(s) "
                              "(positive: down or right; negative: up or left): is the padding on one side only "
                              "(np.pad takes (before, after) for each axis: (pad, pad)), or does every window start "
                              "at another row or column than h * stride, w * stride?",
    "diagnosis.axes_swapped": "it is the expected array with axes {axes} swapped",
    "diagnosis.reordered": "its entries are the expected ones in another order: a reshape took the axes in "
                           "another order than they are stored (reshape does not move axes; transpose does)",
    "diagnosis.axis_flipped": "it is the expected array reversed along axis {axis}",
    "diagnosis.reshaped": "the right values in the wrong shape: {name} has shape {got}, and read in order its "
                          "entries are those of the expected {expected}. Reshape (or build) it as {expected}.",
    "diagnosis.axis_not_summed": "{name} has shape {got}, one axis more than the expected {expected}: its axis "
                                 "{axis} (of size {size}) is kept where it should be summed over. On every case "
                                 "where it came back in such a shape, {name} summed over that axis "
                                 "(.sum(axis={axis})) is the expected one: sum over it (in an np.einsum, leave its "
                                 "letter out of the output).",
    "diagnosis.transposed_shape": "the right values with the axes in the wrong order: {name} has shape {got}; it "
                                  "is the expected {expected} with its axes in the order {order}.",
    "diagnosis.some_examples": "only the example(s) {right} of the batch come out right, the others do not. Each "
                               "example i needs its own slice (A_prev[i], dZ[i, ...]): is an example index fixed "
                               "(e.g. A_prev[0]), or is a result from one example kept for the next?",
    "diagnosis.some_channels": "only the channel(s) {right} come out right, the others do not. Each channel c needs "
                               "its own filter W[..., c] and bias b[..., c] (in pooling, its own slice [..., c]): "
                               "is a channel index fixed?",
    "diagnosis.number_for_array": "{name} is one number, but it must be an array of shape {shape}, with that "
                                  "number in each entry: fill an array of the window's shape, e.g. np.full(shape, "
                                  "value) or np.ones(shape) * value.",
    "diagnosis.number_for_mask": "{name} is a single True or False, but it must be an array of shape {shape} with "
                                 "one True or False per entry of x: compare x itself with its maximum (x == "
                                 "np.max(x)); comparing one value with the maximum gives one value.",
    "diagnosis.cost_wrong": "the {name} itself is not right, so the forward pass goes wrong: check model_forward "
                            "layer by layer against the lesson (each ReLU, the poolings, the flatten, the dense "
                            "layer), and that the cost is the mean over the batch.",
    "diagnosis.some_gradients": "the gradients of {right} are right, those of {wrong} are not. The backward pass "
                                "runs from the last layer to the first: it goes wrong between the last parameter "
                                "whose gradient is right and the first whose gradient is not (a missing ReLU mask, "
                                "a cache of another layer, a reshape that does not undo the flatten).",
    "diagnosis.gradient_keys": "{name} must hold one gradient per parameter, under the parameter's own name: {keys}.",
    "diagnosis.bool_mask": "a mask must hold True where x is largest and False elsewhere (or 1 and 0); multiply "
                           "by dA later, not inside the mask.",
    "diagnosis.factor": "{on_the_rest}it passes every case and probe {when_right} ({passed} of them), and fails "
                        "{failed} of the {of} {when_wrong}. Look at what changes with that in your code: "
                        "{explanation}",
    "diagnosis.same_condition": "{failed} more of the cases and probes tried {when_wrong} fail without that error; "
                                "every one {when_right} passes. Fix the cause above first, then look at them again.",
    "diagnosis.on_the_rest": "on the cases the cause above does not explain, ",
    "when_joined_and": "{first} and {last}",
    "names_joined": "{first} and {last}",
    "when_joined_or": "{first} or {last}",
    "when.stride.simple": "with stride 1",
    "when.stride.other": "with a stride above 1",
    "when.pad.simple": "without padding (pad 0)",
    "when.pad.other": "with padding (pad above 0)",
    "when.m.simple": "with one example",
    "when.m.other": "with several examples",
    "when.n_C.simple": "with one output channel",
    "when.n_C.other": "with several output channels",
    "when.n_C_prev.simple": "with one input channel",
    "when.n_C_prev.other": "with several input channels",
    "when.shape.simple": "on square inputs",
    "when.shape.other": "on inputs whose height and width differ",
    "when.f.simple": "with 1 x 1 windows (f = 1)",
    "when.f.other": "with windows larger than 1 x 1",
    "when.overlap.simple": "where the windows just touch (stride = f)",
    "when.overlap.other": "where the windows overlap or leave gaps (stride != f)",
    "when.overlap.overlapping": "where the windows overlap (f > stride)",
    "when.overlap.not_overlapping": "where the windows do not overlap",
    "when.overlap.gaps": "where the windows leave gaps between them (stride > f)",
    "when.overlap.not_gaps": "where the windows leave no gaps",
    "when.mode.simple": "with mode=\"max\"",
    "when.mode.other": "with mode=\"average\"",
    "look.stride": "where each window starts (vert_start = h * stride, horiz_start = w * stride), the output size "
                   "(n_prev + 2 * pad - f) // stride + 1, which output entry goes with which window (dZ[i, h, w, c], "
                   "not the window's corner), and, going back, the rows and columns of the input that no window "
                   "reaches when the stride does not divide evenly (their gradient is 0, but they are there).",
    "look.pad": "the padding: pad the height and the width only, by pad on each side; count 2 * pad in the sizes; in "
                "the backward pass cut the gradient back with [pad:pad + n_H_prev, pad:pad + n_W_prev] (written as a "
                "full convolution: dZ is padded by f - 1 - pad on each side, not by f - 1, and where that is negative, "
                "the result is cut by pad - (f - 1) instead).",
    "look.m": "the loop over the examples: each example i needs its own slice, its own result, and its own share "
              "of a sum over the batch.",
    "look.n_C": "the output channels: each channel c has its own filter W[..., c] and bias b[..., c] (in pooling, "
                "its own slice [..., c]).",
    "look.n_C_prev": "the input channels: a window spans every input channel (the slice ends in :), W[..., c] is "
                     "(f, f, n_C_prev), and a filter turned 180 degrees turns its rows and columns only (np.flip(W) "
                     "without axes reverses the channel axes too).",
    "look.shape": "height and width: n_H goes with h, rows and vert_*, n_W with w, columns and horiz_*.",
    "look.overlap": "what the windows share: where they overlap, their gradients add up (+=, never =) and each "
                    "window is taken on its own; a method that cuts the input into f x f blocks (reshape, np.repeat) "
                    "is right only where the windows just touch (stride = f).",
    "look.mode": "the branch of that mode: \"max\" takes the window's maximum (backward: the mask), \"average\" "
                 "its mean (backward: dA spread evenly over f * f entries).",
    "look.f": "the window's size: it spans f rows and f columns (vert_end = vert_start + f), and an axis of length "
              "1 must not be dropped (np.squeeze) when f = 1; and what a 1 x 1 window cannot show: how a filter is "
              "turned (a 1 x 1 filter is its own transpose and its own 180-degree turn: only a backward pass written "
              "as a full convolution turns it, W[::-1, ::-1]), where an entry sits in its window (in a 1 x 1 window "
              "every entry is its window's maximum), and which array each window is cut from.",
    "look.f_pool": "the window's size: it spans f rows and f columns (vert_end = vert_start + f), and an axis of "
                   "length 1 must not be dropped (np.squeeze) when f = 1; and what a 1 x 1 window cannot show: where "
                   "an entry sits in its window (in a 1 x 1 window every entry is its window's maximum and its "
                   "average), and which array each window is cut from.",
    "diagnosis.simplest_probe_fails": "it fails even on the simplest input tried, {described} (one example, one "
                                      "channel, 1 x 1 windows, stride 1, no padding), so the mistake shows in what every "
                                      "case computes, also without a stride above 1 or any padding: compare each line "
                                      "with the formula in the lesson (the window's own size included).",
    "diagnosis.helper_fails": "{function} calls your {helpers}, and {helper} is not right yet{why}: fix {helper} "
                              "first (see its own check).",
    "diagnosis.helper_not_finished": " (it is not finished)",
    "diagnosis.own_code_right": "With correct answers from {helpers} in place of yours, {function} passes every case: "
                                "the rest of {function} is right.",
    "diagnosis.own_code_wrong": "With correct answers from {helpers} in place of yours, {function} still fails: the "
                                "rest of {function} has a mistake of its own.",
    "diagnosis.loop_over_positions": "this is how slow a Python loop over the output positions is: the "
                                     "interpreter runs the loop's body once per position (and per example and "
                                     "channel), and here there are thousands of them. Take all the windows at "
                                     "once with np.lib.stride_tricks.sliding_window_view and let one numpy call "
                                     "(a matrix product, tensordot, einsum, max or mean over the window axes) do "
                                     "the work; in the backward passes, loop over the f x f offsets of the window "
                                     "at most, never over i, h, w or c.",
    "diagnosis.train_harder": "make sure the gradient check above passes, then train for more epochs or with "
                              "another learning rate, and look at the loss curve: it should fall steadily.",
    "diagnosis.training_raised": "train_model raised {text} while it trained on the training digits{where}.",
    "diagnosis.bad_parameters": "train_model should return (parameters, history), with parameters a dict of "
                                "{keys} of the shapes initialize_parameters gives them, but {problem}.",
    "diagnosis.not_timed_first": "run the checks above first: {function} must compute the right answer before "
                                 "it is timed.",
    "bad_parameters.not_dict": "it returned {type}",
    "bad_parameters.wrong": "{key} is {got}, where {shape} was expected",
    "bad_parameters.not_finite": "{key} holds NaN or infinite values (did the training diverge?)",
    # -- problems with a notebook, and flags for the instructor ---------------------------------------------
    "problem.unreadable": "the notebook file could not be read ({error}); it may be truncated or not a notebook",
    "problem.too_big": "the notebook is {size} bytes, over the limit of {limit}",
    "problem.cell_missing": "the cell {grade_id!r} is missing (deleted, renamed or changed type)",
    "problem.cell_failed": "the cell {cell} did not run to the end: {error}",
    "problem.cell_stopped": "the cell {cell} did not finish: {reason}",
    "problem.stopped": "{reason}",
    "problem.no_answer_after_last": "the sandbox stopped answering after the last answer",
    "flag.locked_edited": "locked cell {grade_id!r} was edited",
    "flag.locked_deleted": "locked cell {grade_id!r} was deleted",
    # -- bounded output (autograder/grading/bounds.py): the notes left out of a long list --------------------
    "problem.more": "and {count} more problems with the notebook, not listed (the first ones are above)",
    "flag.more": "and {count} more flags, not listed",
    "cell.solution": "{grade_id!r}",
    "cell.added": "you added (number {number} in the notebook)",
    "cell.setup": "{grade_id!r} (given)",
    "cell.given": "{grade_id!r} (given, changed by you)",
    # -- feedback pages ------------------------------------------------------------------------------------
    "feedback.title": "{assignment}: feedback for {student}",
    "feedback.submitted_at": "Submitted at {timestamp}.",
    "feedback.score": "Score: {score} / {max}",
    "feedback.function": "function",
    "feedback.points": "score",
    "feedback.hidden_tests": "hidden tests",
    "feedback.passed": "passed",
    "feedback.not_yet": "not yet",
    "feedback.problems": "Problems with the notebook",
    "feedback.closing": "Each function was run on hidden cases; a function scores its points when every case is "
                        "right. Run the check cells in your notebook to try your fixes.",
    # -- the class summary ---------------------------------------------------------------------------------
    "summary.title": "{assignment}: class summary",
    "summary.nobody": "No submission has been graded yet.",
    "summary.graded": "{students} graded. Total: mean {mean}, median {median}, out of {max}; {full} with full marks.",
    "summary.students_one": "1 student",
    "summary.students_many": "{count} students",
    "summary.isolation": "Isolation in force: {isolation}",
    "summary.isolation_item": "{text} ({students})",
    "summary.nothing_ran": "none (the notebook could not be read, nothing ran)",
    "summary.per_function": "Per function",
    "summary.points": "points",
    "summary.scores": "scores (score: students)",
    "summary.chart_alt": "students with full marks, per function",
    "summary.chart_axis": "students with full marks (of {count})",
    "summary.causes": "Why marks were lost: what to teach again",
    "summary.causes_intro": "Each lost mark under each of its causes: a catalogued mistake, a diagnosis, or, for an "
                            "error the kit does not interpret, its type and message. A function with two mistakes "
                            "counts under both; a function that fails because a helper it calls fails counts under "
                            "the helper's cause.",
    "summary.environment": "Lost to the class's environment, not to the lesson",
    "summary.environment_intro": "These marks were lost to the numpy the class runs, not to a mistake in the lesson: "
                                 "the same code passes elsewhere. Fix it once for the whole class.",
    "summary.points_lost": "points lost",
    "summary.points_alone": "of which by this cause alone",
    "summary.instructor_can": "what you can do",
    "summary.env_numpy2": "numpy 2 refuses float() and int() of an array that holds one number but has dimensions "
                          "(the bias b of shape (1, 1, 1)); numpy 1 allowed it. Pin numpy below 2 in the class's "
                          "environment (pip install \"numpy<2\"), or tell the class to write b.item(), which works "
                          "on both, and regrade.",
    "summary.env_alias": "numpy 1.24 removed np.float, np.int and the other aliases of Python's types. Tell the class "
                         "to use float, int, ... (or .item() for an array of one number), or pin numpy below 1.24 "
                         "in the class's environment, and regrade.",
    "cause.generic": "cause not named ({cause})",
    "summary.cause": "cause",
    "summary.students": "students",
    "summary.lost_in": "marks lost in (students)",
    "summary.who": "who",
    "summary.what_to_do": "hint",
    "summary.and_more": "{shown} and {more} more",
    "summary.none": "None: every function got full marks.",
    "summary.totals": "Totals",
    "summary.total": "total",
    "summary.look_at": "Notebooks to look at",
    "summary.flagged": "Locked cells changed (flagged in the gradebook; only the learner's own cells are graded):",
    "summary.troubled": "Problems while grading (shown to the student too):",
    "summary.all_fine": "None: no locked cell was changed and every notebook ran.",
    "summary.student": "student",
    "summary.flags": "flags",
    "summary.problems": "problems",
    # summary columns: how each function's marks went
    "outcome.full_marks": "full marks",
    "outcome.partial": "partial marks",
    "outcome.known_mistake": "known mistake",
    "outcome.diagnosed": "other named cause",
    "outcome.not_written": "not written or missing",
    "outcome.too_slow": "too slow",
    "outcome.not_accurate": "model not accurate",
    "outcome.did_not_finish": "did not finish",
    "outcome.other": "cause not named",
    # kinds of cause, in the summary's table of causes
    "cause.outcome.not_written": "not finished yet",
    "cause.outcome.missing": "function missing (its cell deleted, renamed or broken)",
    "cause.outcome.did_not_finish": "did not finish (time or memory limit, or a crash)",
    "cause.outcome.not_graded": "the notebook could not be read",
    "cause.outcome.wrong_value": "wrong values, cause not named",
    "cause.outcome.wrong_shape": "wrong shape, cause not named",
    "cause.outcome.wrong_type": "wrong type, cause not named",
    "cause.outcome.wrong_count": "wrong number of returned values",
    "cause.outcome.wrong_when_timed": "wrong answer in a timed run",
    "cause.outcome.too_slow": "too slow",
    "cause.outcome.not_accurate": "trained model not accurate enough",
    "cause.raised": "error not interpreted: {pattern}",
    # -- isolation, and a sandbox that does not start ---------------------------------------------------
    "isolation.bubblewrap": "bubblewrap: no network, a private file system view",
    "isolation.process": "a separate process only: network and file system NOT isolated (install bubblewrap)",
    "isolation.own_user": "each job under a user of its own",
    "isolation.no_own_user": "jobs under the grader's own user (only a grader run as root can give each job "
                             "its own)",
    "isolation.ipc": "its own System V IPC namespace",
    "isolation.no_ipc": "the System V IPC objects a job made removed when it ends (a namespace of its own needs root)",
    "isolation.watchdog": "time, memory (all of a job's processes together), process and file limits",
    "sandbox.cannot_run": "the sandbox could not be started: {command}: {error}",
    "sandbox.bwrap_failed": "bubblewrap could not make the sandbox ({stderr}). It needs to create namespaces: "
                            "as a normal user, unprivileged user namespaces must be enabled (sysctl "
                            "kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0 "
                            "on Ubuntu); or grade with --no-sandbox (process isolation only).",
    "sandbox.cannot_import": "the sandbox's Python ({python}) could not import the grader's package from "
                             "{package}: {stderr}. Install the kit in this Python (pip install -e .), or run the "
                             "grader with the Python that has it.",
    "sandbox.no_answer": "the sandbox did not answer within {seconds} s of starting ({stderr}); the machine may "
                         "be overloaded: grade with fewer --workers.",
    "sandbox.ended": "the sandbox ended as it started (exit status {status}): {stderr}",
    "console.not_graded": "NOT GRADED {student}: the grader failed ({reason}); run the command again to retry",
    "console.plan": "{count} submissions of {assignment}: {done} already graded, {todo} to grade {how}",
    "console.on_scheduler": "on {scheduler}",
    "console.with_workers": "with {workers} workers",
    "console.written": "report: {report}; class summary: {summary}",
    "console.kit": "kit: {root}",
    "console.gradebook": "gradebook: {url}",
    # -- the grader refuses the run (autograder.grading.Refused) -------------------------------------------
    "refused.no_such_assignment": "the kit at {kit} has no assignment '{assignment}'; it has: {known}",
    "refused.other_kit_loaded": ("this process already holds the kit of {loaded}; grade with the kit of {kit} "
                                 "in a new process"),
    "refused.no_kit_there": "--kit {kit}: there is no {package}/ package there (the kit's checkout holds one)",
    "refused.no_kit": ("the grader needs the kit's {package}/ package (instructors only, not installed for "
                       "learners): it is neither in the course directory {course} nor in {installed_from}; give "
                       "the kit's checkout with --kit DIR"),
    "refused.no_notebook": ("{path} is missing: run `nbgrader generate_assignment {assignment}` first, in the "
                            "course directory"),
    "refused.unchecked_cells": ("{assignment}: the kit has no check for the graded cells of {cells}; grade this "
                                "assignment with `nbgrader autograde {assignment}`"),
    "refused.no_gradebook": ("there is no gradebook at {url}: run `nbgrader generate_assignment {assignment}` "
                             "first, in the course directory (the gradebook is c.CourseDirectory.db_url of the "
                             "course's nbgrader_config.py)"),
    "refused.gradebook_unreachable": ("the gradebook {url} could not be opened ({error}). Check "
                                      "c.CourseDirectory.db_url in the course's nbgrader_config.py: the database "
                                      "must exist and be reachable, and a PostgreSQL gradebook needs its driver "
                                      "(pip install psycopg2-binary) and an address of the form "
                                      "postgresql+psycopg2://user@host/database."),
    "refused.not_in_gradebook": ("assignment '{assignment}' is not in the gradebook {url}: run `nbgrader "
                                 "generate_assignment {assignment}` first, in the course directory"),
    # -- similar submissions (autograder similarity) -----------------------------------------------------
    'similarity.title': 'Similar submissions: {assignment}',
    'similarity.notice': 'Similarity is a reason to look, not proof of copying. Learners who follow the same lesson write alike, and a high score only says which notebooks deserve a side-by-side reading. Decide nothing before reading the code and talking with the learners.',
    'similarity.method': 'How it is measured: each function is parsed and normalized (names chosen by the learner, layout, comments, the order of independent statements and equivalent numpy spellings do not count), then fingerprinted by winnowing (Schleimer, Wilkerson and Aiken, 2003: the method of MOSS). Code given in the release does not count, nor code shared by more than {common_limit} submissions. A score is 2 x shared fingerprints / (fingerprints of one + fingerprints of the other): 100% for the same code, 0% for nothing in common.',
    'similarity.counts': 'Submissions compared: {students}, function by function ({functions}). Known solutions: {known}. Files not compared: {skipped}.',
    'similarity.threshold': 'Listed: scores of {threshold} or more.',
    'similarity.heading_pairs': 'Pairs of students, by overall score',
    'similarity.heading_function_pairs': 'Pairs of students, function by function',
    'similarity.heading_known': 'Matches with known solutions',
    'similarity.heading_clusters': 'Clusters: three or more students sharing one solution',
    'similarity.heading_excerpts': 'Side by side',
    'similarity.heading_known_excerpts': 'Side by side with the known solutions',
    'similarity.heading_skipped': 'Files not compared',
    'similarity.heading_notes': 'Functions not compared',
    'similarity.no_pairs': 'No pair of students reaches the threshold.',
    'similarity.no_function_pairs': 'No pair reaches the threshold on this function.',
    'similarity.no_known': 'No submission matches a known solution at the threshold.',
    'similarity.no_known_given': 'No known solutions were given (compare with them: --against DIR).',
    'similarity.no_clusters': 'No cluster.',
    'similarity.shown': 'The first {shown} of {total} are shown; the JSON report lists up to {listed}.',
    'similarity.col_rank': '#',
    'similarity.col_student': 'student',
    'similarity.col_other': 'other student',
    'similarity.col_known': 'known solution',
    'similarity.col_overall': 'overall',
    'similarity.col_score': 'score',
    'similarity.col_closest': 'closest function',
    'similarity.col_students': 'students',
    'similarity.col_mean': 'mean overall score',
    'similarity.col_functions': 'functions (mean score)',
    'similarity.col_file': 'file',
    'similarity.col_reason': 'reason',
    'similarity.pair': '{a} and {b}: {overall} overall',
    'similarity.function_score': '{function}: {score}',
    'similarity.not_comparable': '{function}: too short on one side to compare',
    'similarity.legend': "Lines marked in the same colour hold matching code (the same normalized code, whatever the names); unmarked lines do not match. Line numbers count from the function's first line.",
    'similarity.excerpts_link': 'side by side',
    'similarity.reason_unreadable': 'the file could not be read ({error})',
    'similarity.reason_too_large': 'the file is {size} bytes, over the limit of {limit}',
    'similarity.reason_missing': 'the notebook is missing',
    'similarity.reason_no_function': 'no function of the assignment was found in it',
    'similarity.reason_reader_failed': 'reading it failed ({error})',
    'similarity.reason_cell_does_not_parse': 'code cell {cell} is not valid Python ({error}); functions that parse alone were kept',
    'similarity.reason_function_too_long': '{function} is too long to compare',
    'similarity.reason_function_not_compared': '{function} could not be compared ({error})',
    'similarity.started': '{assignment}: submissions: {students}; known solutions: {known}; functions to compare: {functions}',
    'similarity.done': 'Pairs of students at {threshold} or more: {pairs}; clusters: {clusters}; matches with known solutions: {known}. Report: {json} and {html}. Similarity is a reason to look, not proof of copying.',
    'similarity.no_release': 'No release notebook at {path}: run `nbgrader generate_assignment {assignment}` first.',
    'similarity.no_functions': 'The release notebook has no solution cell holding a function: there is nothing to compare.',
    'similarity.release_unreadable': 'The release notebook {path} could not be read: {reason}.',
    'similarity.no_folder': 'No such folder: {path}',
    'similarity.bad_threshold': 'The threshold is a score between 0 and 1, not {value}.',
    'similarity.summary_line': 'Similar submissions (a reason to look, not proof of copying): pairs at {threshold} or more: {pairs}; clusters: {clusters}; matches with known solutions: {known}. See {link}.',
    'similarity.help': 'Find similar submissions, function by function, and write reports/<assignment>/similarity.html.',
    'similarity.help_assignment': "the assignment's name",
    'similarity.help_course': 'nbgrader course directory (default: .)',
    'similarity.help_against': 'a folder of known solutions (.ipynb or .py) to compare every submission with',
    'similarity.help_threshold': 'lowest score listed, between 0 and 1 (default: %(default)s)',
    "similarity.help_language": ("language of the report (default: $AUTOGRADER_LANGUAGE, "
                                 "else the course's autograder.json, else en)"),
    'similarity.help_function': "compare only this function (repeatable; default: every function of the release's solution cells)",
    'similarity.help_workers': 'processes that read the notebooks (default: the number of cores)',
    'similarity.help_no_progress': 'no progress bar',
    # -- the console ----------------------------------------------------------------------------------------
    "console.isolation": "isolation: {isolation}",
    # -- the lessons' visible checks: gradients against numerical ones, the lenient timing check -------------
    "gradient_pass": "{label}, {name}: relative error {error}, within the threshold of {threshold}: PASS.",
    "gradient_attention": "{label}, {name}: relative error {error}, above the threshold of {threshold}: ATTENTION, "
                          "this gradient is wrong.",
    "gradient_shape": "{label}, {name}: shape {got}, but the numerical gradient has shape {expected}: ATTENTION, "
                      "this gradient is wrong.",
    "passed_timing": "{function}: fast enough on the visible timing case ({took}, {share} of the {allowed} allowed "
                     "here).",
    "visible_timing": "the visible timing case",
    "which_validation": "validation",
    # -- deadlines, regrades and the item analysis (the instructor's term) ----------------------------------
    "feedback.due_on_time": "Due {due} (UTC){extension}: submitted on time.",
    "feedback.due_late": "Due {due} (UTC){extension}: submitted {late} late.",
    "feedback.extension": ", with an extension of {extension}",
    "feedback.penalty": "Late penalty: {penalty} points; score after the penalty: {after} / {max}.",
    "feedback.no_penalty": "No late penalty was given.",
    "feedback.regrade_changed": "Your grade changed from {before} to {after} (out of {max}) when your submission "
                                "was graded again, because {why}.",
    "feedback.regrade_same": "Your submission was graded again, because {why}. Your grade is the same ({after} / "
                             "{max}), but what this feedback says about these functions changed:",
    "feedback.reviewed": "After your instructor's review: {score} / {max}.",
    "feedback.points_reviewed": "{score} / {max} (set by your instructor; the checks gave {automatic})",
    "feedback.comments": "Comments from your instructor",
    "feedback.regrade_function": "{before} → {after} / {max}",
    "duration.join": " ",
    "duration.day_one": "1 day",
    "duration.day_many": "{n} days",
    "duration.hour_one": "1 hour",
    "duration.hour_many": "{n} hours",
    "duration.minute_one": "1 minute",
    "duration.minute_many": "{n} minutes",
    "duration.second_one": "1 second",
    "duration.second_many": "{n} seconds",
    "why.separator": "; ",
    "why.kit": "the grader was updated",
    "why.secret": "the hidden cases were drawn anew",
    "why.reference": "the instructor's reference solution changed",
    "why.release": "the released notebook changed",
    "why.cases": "the checks of {function} were corrected or extended",
    "why.points": "the points of {function} changed",
    "why.mistakes": "the known mistakes the checks of {function} recognise changed",
    "why.hints": "the hints for {function} were rewritten",
    "why.added": "{function} is graded now",
    "why.removed": "{function} is no longer graded",
    "why.unrecorded": "the grader was updated (the earlier grading did not record what it was graded against)",
    "why.forced": "the instructor asked for it",
    "console.stale": "{count} results were graded against an older plan ({why}): they are graded again",
    "console.reworded_plan": "{count} results differ only in hints ({why}): their feedback is written again, "
                             "with no grading",
    "console.regrade_changed": "{changed} of {count} students' grades changed; the list is in {report}",
    "console.regrade_same": "{count} students graded again: no grade changed",
    "console.feedback_changed": "the feedback of {count} student(s) changed, not their grades",
    "console.late_plugin_failed": "the late-submission plugin failed: {error}",
    "refused.late_plugin": ("the late-submission plugin {plugin} (c.AssignLatePenalties.plugin_class in the "
                            "course's nbgrader_config.py) could not be loaded: {error}. nbgrader autograde fails "
                            "the same way: put its module in the course directory, or correct the setting."),
    "summary.late": "Deadlines",
    "summary.late_intro": "{late} of {count} submitted after their due date (the assignment's, plus any extension "
                          "recorded in the gradebook); penalties by {plugin}, as nbgrader export shows them.",
    "summary.due": "due (UTC)",
    "summary.extension": "extension",
    "summary.late_by": "late by",
    "summary.penalty": "penalty",
    "summary.after_penalty": "score after the penalty",
    "summary.regrade": "Graded again after a change",
    "summary.regrade_intro": "{changed} of {count} students' grades changed. Students whose grade and feedback "
                             "did not change are not listed.",
    "summary.before": "before",
    "summary.after": "after",
    "summary.changed_functions": "functions that changed",
    "summary.why": "why",
    "summary.when": "when (UTC)",
    "items.title": "What the class got wrong: item analysis",
    "items.intro": "Per function (full marks) and per family of its hidden cases (every hidden case of the family "
                   "passed): the share of the class that passed, and a discrimination index, the correlation "
                   "(point-biserial, from -1 to 1) between passing it and the rest of the grade (the total less "
                   "that function's points). Near 1: the students who pass it do well elsewhere. Near 0 or below: "
                   "passing it has little to do with the rest; worth a look. Not computed (—) with fewer than {min} "
                   "students, or when everyone or no one passes. Families passed exactly as often as their "
                   "function are left out of the table (report.json has them).",
    "items.item": "function · family of hidden cases",
    "items.passed": "passed",
    "items.discrimination": "discrimination",
    "items.chart_alt": "share of the class that passed each function and family of hidden cases, coloured by "
                       "discrimination",
    "items.chart_axis": "share of the class that passed (grey: discrimination not computed)",
    "items.hard_intro": "Cases that nearly everyone fails (at most {share}% of the students whose function ran "
                        "pass them, at least {min} students): a lesson problem, or a wrong case?",
    "items.hard_case": "{passed} of {attempted} pass",
    "items.no_hard": "No case that nearly everyone fails (at most {share}% passing, among at least {min} students "
                     "whose function ran).",
    "items.case_visible": "visible case {case}",
    "items.case_hidden": "hidden case {case}",
    "items.case_timing": "timing case {case}",
    "items.case_training": "the training of {case}",
    "family.stride_1": "stride 1",
    "family.stride_2plus": "stride > 1",
    "family.pad_0": "pad 0",
    "family.pad_1plus": "pad > 0",
    "family.overlap": "overlapping windows (f > stride)",
    "family.f_1": "1 × 1 window",
    "family.one_channel": "one channel",
    "family.nonsquare": "height ≠ width",
    "family.batch_1": "one example (m = 1)",
    "family.mode_max": "max pooling",
    "family.mode_average": "average pooling",
    "family.gradient": "numerical gradient check",
    "family.timed": "timing",
    # -- autograder --help ------------------------------------------------------------------------------
    "cli.usage": "usage: ",
    "cli.positionals": "positional arguments",
    "cli.options": "options",
    "cli.help": "show this help message and exit",
    "cli.metavar_assignment": "ASSIGNMENT",
    "cli.metavar_dir": "DIR",
    "cli.metavar_n": "N",
    "cli.metavar_address": "ADDRESS",
    "cli.metavar_student": "ID",
    "cli.metavar_seconds": "S",
    "cli.metavar_mib": "MIB",
    "cli.metavar_file": "FILE",
    "cli.metavar_function": "NAME",
    "cli.metavar_score": "SCORE",
    "grade.program": "Grading for the CNN-in-numpy course kit.",
    "grade.help": "grade every submission of an assignment, in place of nbgrader autograde",
    "grade.description": ("Grade every submission of ASSIGNMENT in an nbgrader course directory, in place of "
                          "nbgrader autograde: into the gradebook nbgrader is configured with, "
                          "reports/ASSIGNMENT/report.json and summary.md, and feedback/ for nbgrader "
                          "release_feedback. A student is graded once per submission and plan: a new submission, "
                          "or a change of the plan (a case fixed or added, a hint rewritten), is graded again "
                          "without --force, and the report shows the grades before and after."),
    "grade.help_assignment": "the assignment's name",
    "grade.help_course": "nbgrader course directory (default: .)",
    "grade.help_kit": ("the kit's checkout, which holds its instructor/ package (default: the course directory if "
                       "it holds one, else the checkout this grader was installed from)"),
    "grade.help_workers": "local worker processes (default: the number of cores)",
    "grade.help_scheduler": "grade on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786",
    "grade.help_force": "grade again students already graded",
    "grade.help_student": "grade only this student (repeatable)",
    "grade.help_call_timeout": "seconds of wall clock per function call (default: %(default)s)",
    "grade.help_submission_timeout": "seconds of wall clock per submission (default: %(default)s)",
    "grade.help_memory": "memory limit per submission, MiB (default: %(default)s)",
    "grade.help_no_sandbox": "do not use bubblewrap even if it is there (process isolation only)",
    "grade.help_language": ("language of the feedback, report and summary (default: $AUTOGRADER_LANGUAGE, else "
                            "the course's autograder.json, else en)"),
    "grade.help_no_progress": "no progress bar",
    "export.help": "grades from the gradebook as a CSV file that Canvas or Moodle imports",
    "export.description": ("Write the gradebook's grades as a CSV file that a learning management system imports: "
                           "one row per student, one column per assignment, the score after the late penalty "
                           "(the same as nbgrader export --exporter=autograder.grading.export.CanvasExportPlugin "
                           "or MoodleExportPlugin)."),
    "export.help_format": "canvas or moodle",
    "export.help_to": "the file to write (default: canvas.csv or moodle.csv in the course directory)",
    "export.help_assignment": "export only this assignment (repeatable; default: all of them)",
    "export.help_student": "export only this student (repeatable; default: everyone)",
    "export.written": "{format} grades written to {path}",
    "export.no_gradebook": "there is no gradebook at {url}: grade an assignment first",
}
