"""课程套件展示给学习者和教师的每一句话（中文）。

键和 ``{占位符}`` 与英文目录完全一致（见 tests/test_translations.py）。
"""

WORDS: dict[str, str] = {
    # -- 用例在哪里 ------------------------------------------------------------------------------------------
    "example": "课程中的示例",
    "case": "{count} 个{kind}用例中的第 {position} 个",
    "hidden": "隐藏",
    "timing": "计时",
    "visible": "公开",
    "place": "{label}（{description}）",
    "gradient_case": "，与数值梯度比较",
    "digits_place": "{which}中的数字",
    # -- 检查的结果 ------------------------------------------------------------------------------------------
    "passed_one": "{function}：{kind}用例通过（共 1 个）。",
    "passed_many": "{function}：{count} 个{kind}用例全部通过。",
    "passed_speed": "{function}：速度足够（用时 {took}，占本机允许时间 {allowed} 的 {share}）。",
    "passed_accuracy": "{function}：{count} 个{which}数字中有 {accuracy} 分类正确（至少需要 {needed}）。",
    "not_right": "{function} 的结果还不对，出错的是{place}。",
    "not_written": "{function} 还没有完成：把它所在单元格里的每一处 `raise NotImplementedError()` 都换成你的代码，"
                   "运行那个单元格，再重新运行这个检查。",
    "missing": "{function} 没有定义。请在笔记本中保留它的单元格（grade id 为 {function!r}），"
               "函数名和参数保持题目给出的样子。",
    "cell_failed": "你的单元格 {grade_id!r} 没能运行：{error}。请修改它，让整个单元格都能无错运行。",
    "stopped": "{function} 没有运行完，出错的是{place}：{reason}。",
    "too_slow": "{function} 太慢了，出错的是{place}：它用了 {took}，而本机允许的时间是 {allowed}。"
                "numpy 在本机复制一个与这一层的图像块矩阵同样大小的 {shape} 矩阵并做一次乘法，需要 {calibration}；"
                "允许的时间是它的 {factor} 倍。",
    "wrong_when_timed": "{function} 在计时运行中给出了错误的结果，出错的是{place}，输入略有改动。"
                        "计时检查的每一次运行都必须真正算出结果。",
    "not_accurate": "{function} 还不够好：{count} 个{which}数字中只有 {accuracy} 分类正确，至少需要 {needed}。",
    "not_graded": "笔记本无法读取，所以 {function} 没有评分。",
    "hint": "提示：{hint}",
    "hint_many": "有 {count} 处要改，按这个顺序：{items}",
    "hint_one_line": "有 {count} 项发现，其中的报错都出自 `{line}`，各自出现在不同的用例上（可能是同一个错误引起的）：{items}",
    "sentences_joined": "",  # between two sentences of a hint
    "hint_item": "（{number}）{text}",
    "hint_label": "提示：",
    "not_callable": "check({function!r}, ...) 需要传入函数本身，但传入的是 {type}。",
    "unknown_function": "{assignment!r} 没有 {function!r} 的检查；可检查的函数有：{known}",
    "unknown_assignment": "没有作业 {assignment!r} 的检查；已安装的有：{known}",
    "no_timing_check": "{assignment!r} 没有 {function!r} 的计时检查；有计时检查的函数：{known}",
    "no_timing_checks": "{assignment!r} 没有计时检查。",
    "which_test": "测试集",
    "which_training": "训练集",
    "see_above": "{function} 没有通过检查：请看上面的说明。",
    # -- 返回值哪里不对 --------------------------------------------------------------------------------------
    "not_array": "{name} 应该是形状为 {shape} 的数组，但它是{got}。",
    "wrong_shape": "{name} 的形状是 {got}，但应该是 {expected}。",
    "not_numbers": "{name} 应该存放数值，但它的 dtype 是 {dtype}。",
    "not_boolean": "{name} 应该只含 True 和 False（或 1 和 0），但在索引 {index} 处是 {got}。",
    "wrong_value": "{name} 应该是 {expected}，但它是 {got}。",
    "wrong_entries": "{name} 的 {size} 个元素中有 {wrong} 个不对；在索引 {index} 处应该是 {expected}，但它是 {got}。",
    "not_number": "{name} 应该是单个数值，但它是{got}。",
    "not_tuple": "{name} 应该是含 {count} 项的元组，但它是{got}。",
    "wrong_length": "{name} 应该有 {count} 项，但它有 {got} 项。",
    "not_dict": "{name} 应该是以 {keys} 为键的字典，但它是{got}。",
    "missing_key": "{name} 中没有 {key!r} 这一项。",
    "wrong_count": "{function} 应该返回 {count} 个值（{names}），但它返回了{got}。",
    "unreadable": "{name} 返回的内容无法读取。",
    "too_large": "{name} 返回的数据有 {mib} MiB，超出了一个答案允许的大小：只返回函数说明中要求的输出和 cache。",
    "raised": "调用时抛出了 {text}{where}。",
    "raised_at": "（出自你写的这一行：`{line}`）",
    "shown_array": "形状为 {shape} 的数组",
    "shown_none": "空值 None",
    "shown_tuple": "含 {length} 项的元组",
    "shown_list": "含 {length} 项的列表",
    "shown_dict": "一个字典",
    "shown_other": "一个 {type}",
    "shown_number": "数值 {number}",
    "shown_values": " {count} 个值",
    "shown_one": "一个 {type}",
    # -- 为什么没有运行完 ------------------------------------------------------------------------------------
    "stop_call_timeout": "单次调用超过了 {seconds} 秒的时限",
    "stop_submission_timeout": "整份提交超过了 {seconds} 秒的时限",
    "stop_memory": "它的所有进程合计占用了超过 {limit_mib} MiB 的内存（{used_mib} MiB），因此全部被终止",
    "stop_exited": "进程结束了（退出状态 {status}）",
    "stop_not_timed": "它没有被计时",
    "stop_no_answer": "沙箱不再应答",
    "stop_garbled": "沙箱发回的内容无法读取（格式错误、过大或嵌套过深）",
    # -- 换上参考实现再评一次 --------------------------------------------------------------------------------
    "with_reference_helpers_pass": "把你的 {helpers} 换成参考实现后，{function} 通过了所有用例：{function} 的其余部分是对的。",
    "with_reference_helpers_fail": "把你的 {helpers} 换成参考实现后，{function} 仍然不对：{problem}",
    # -- 诊断：不属于已知错误目录时，错在哪里 ------------------------------------------------------------------
    "diagnosis.returned_none": "{function} 返回了 None：是不是漏写了 `return` 语句，或者把它缩进到了循环或 if 里？",
    "diagnosis.numpy2_scalar_conversion": "`{call}` 拿到的是一个只含一个数、却带有维度的数组，例如形状为 (1, 1, 1) "
                                          "的偏置 b：numpy 2 只会把 0 维数组转换成 Python 数值（numpy 1 允许这样做）。{fix}",
    "diagnosis.numpy_alias_removed": "numpy 里已经没有 `np.{alias}` 了（numpy 1.24 起被移除）。{fix}",
    "diagnosis.item_fix": "请改用 `.item()` 把这个数取出来（例如 `b.item()`，或者加上偏置之后再用 `Z.item()`）："
                          "它在 numpy 1 和 2 上都能用。",
    "diagnosis.alias_fix": "要得到 Python 数值就用内置的 `{builtin}`；如果是只含一个数的数组（例如形状为 (1, 1, 1) "
                           "的偏置 b），请用 `.item()`，它在 numpy 1 和 2 上都能用。",
    "diagnosis.fix_passes": "把那里改成 `{new}`（在 numpy 1 和 2 上都能用）：这样改之后，你的函数通过所有用例。",
    "diagnosis.fix_error_gone": "把那里改成 `{new}`（在 numpy 1 和 2 上都能用）：这样就不再报错，之后还错在哪里见下文。",
    "diagnosis.fix_untried": "例如改成 `{new}`（在 numpy 1 和 2 上都能用）。",
    "diagnosis.array_where_number_needed": "把一个数组存进了只能放一个数的位置：`{line}` 写入的是单个元素，"
                                           "但右边的值是数组。请让它成为一个数：取单个元素（例如用 b[0, 0, 0, c] 而不是 b[..., c]，"
                                           "或者 .item()）；如果它来自 conv_single_step 这样的辅助函数，就让辅助函数返回一个数"
                                           "（浮点数）。",
    "diagnosis.float_size": "某个尺寸或下标是浮点数：在 Python 3 中 `/` 总是得到浮点数。输出尺寸 n_H、n_W "
                            "和窗口位置都要用 `//`（向下取整除法）。",
    "diagnosis.index_out_of_bounds": "某个下标超出了数组的范围（第 {axis} 轴，长度为 {size}）：检查循环的范围"
                                     "（range(n_H)、range(n_W) 等）、窗口是否从 h * stride 开始并在其后 f 处结束，"
                                     "以及高度和宽度是否弄反了。",
    "diagnosis.broadcast_short_slice": "形状为 {shapes} 的两个数组本应形状相同，所以有个切片取空了或取短了。"
                                       "pad 为 0 时 `[pad:-pad]` 是空的（请用 `[pad:pad + n_H_prev]`）；"
                                       "窗口必须在 vert_start + f 处结束，并且落在（填充后的）输入之内。",
    "diagnosis.raised_when": "{text}这个错误出现在{when_wrong}的 {of} 个试过的用例中的 {failed} 个上，而在{when_right}时一个也没有。",
    "diagnosis.windows_of_unpadded_input": "在 `{line}` 中，形状为 {shape} 的数组有 {rows} x {cols} 个窗口位置，"
                                           "正好是输入不加填充时的窗口数。pad = {pad} 时，填充后的输入有 {n_H} x {n_W} 个"
                                           "（也就是输出的 n_H x n_W），所以这些窗口是从填充之前的输入上取的。请从填充后的"
                                           "输入上取窗口。",
    "diagnosis.windows_tiled": "在 `{line}` 中，形状为 {shape} 的数组有 {rows} 行 {cols} 列，即 n_H * f 乘 n_W * f："
                               "每个窗口一个 f x f 的块（共 {n_H} x {n_W} 个窗口），一块挨着一块，好像这些窗口正好铺满输入。"
                               "只有 stride = f 时才是这样；这里 stride = {stride}，f = {f}。请把每个窗口的份额放到输入中它自己的行和列上"
                               "（从 h * stride、w * stride 开始），窗口重叠的地方要把各份额加起来。",
    "diagnosis.remainder_rows_missing": "{name} 的形状是 {got}，比输入的 {expected} 少了 {rows} 行、{cols} 列："
                                        "少的正是最后几行几列。当步幅（{stride}）不能整除 n_H_prev + 2 * pad - f 时，"
                                        "没有哪个窗口能到达这些行列。它们的梯度是 0，但必须在结果里：请让结果与输入一样大"
                                        "（填充后的梯度有 n_H_prev + 2 * pad 行；膨胀后的 dZ 占 n_H_prev + 2 * pad - f + 1 行，"
                                        "最后几行是 0）。",
    "diagnosis.remainder_rows_raised": "`{line}` 只在步幅不能整除 n_H_prev + 2 * pad - f 时报形状错误：在不能整除的 {total} 个用例和探针中"
                                       "有 {count} 个报错，而在能整除的 {others} 个上都没有。那里有个数组缺了最后几行几列，"
                                       "没有哪个窗口能到达它们（其中第一个缺 {rows} 行、{cols} 列，步幅为 {stride}）。它们的梯度是 0，"
                                       "但必须在数组里：请按输入而不是按输出来定数组的大小（填充后的梯度有 n_H_prev + 2 * pad 行；"
                                       "膨胀后的 dZ 占 n_H_prev + 2 * pad - f + 1 行，最后几行是 0）。",
    "diagnosis.remainder_rows_raised_and_silent": "`{line}` 只在步幅不能整除 n_H_prev + 2 * pad - f 时报形状错误："
                                                  "在不能整除的 {total} 个用例和探针中有 {count} 个报错，而在能整除的 {others} "
                                                  "个上都没有；另有 {silent} 个不能整除的没有报错却给出了错误的值，能整除的则一个也没有。"
                                                  "那里有个数组缺了最后几行几列，没有哪个窗口能到达它们（其中第一个缺 {rows} 行、{cols} 列，"
                                                  "步幅为 {stride}）。它们的梯度是 0，但必须在数组里：请按输入而不是按输出来定数组的大小"
                                                  "（填充后的梯度有 n_H_prev + 2 * pad 行；膨胀后的 dZ 占 n_H_prev + 2 * pad - f + 1 行，"
                                                  "最后几行是 0）。",
    "diagnosis.stale_state": "`{line}` 从 {name} 取对象，而 {name} 是由别的调用设置的：在其他输入上，这一行运行时 {name} "
                             "是 None（没有 .{attribute}）；而这里它存着之前某次调用留下的对象，那是用另一个输入做出来的，"
                             "所以它的 {attribute} 按那个输入的形状运行而出错。被评分的函数是单独调用的，只带着自己的输入："
                             "它需要的东西要从参数（cache）里取，而不是从之前的调用里取。",
    "diagnosis.axis_padded": "在 `{line}` 中，有一个数组沿{axis}轴的长度是 {padded} = {size} + 2 * pad（pad = {pad}），"
                             "而这个用例在这个轴上是 {size}：这个轴也被填充了。np.pad(X, pad) 会填充每一个轴；只应填充高和宽："
                             "按数组各轴的顺序，给 np.pad 每个轴一对 (前, 后)，高和宽用 (pad, pad)，其余各轴用 (0, 0)。",
    "diagnosis.size_rounded_up": "{name} 的形状是 {got}，而应当是 {expected}：窗口位置有 {n_H} x {n_W} 个，"
                                 "而不是 {right_H} x {right_W} 个。这正是把 (n_prev + 2 * pad - f) / stride + 1 向上取整的结果"
                                 "（这里 f = {f}，stride = {stride}，pad = {pad}）；每个出错的用例都是这样，而步幅能整除 "
                                 "n_prev + 2 * pad - f 的用例全部正确。{also_raised}窗口必须完整地落在（填充后的）输入之内："
                                 "窗口位置的个数要用整除向下取整，高和宽都是如此。",
    "diagnosis.size_f_stride_swapped": "{name} 的形状是 {got}，而应当是 {expected}：窗口位置有 {n_H} x {n_W} 个，"
                                       "而不是 {right_H} x {right_W} 个。这正是 (n_prev + 2 * pad - stride) // f + 1，"
                                       "即把 f 和 stride 对调后算出的尺寸（这里 f = {f}，stride = {stride}）；每个出错的用例"
                                       "都是这样，而两个公式结果相同的用例（例如 stride = f）全部正确。{also_raised}"
                                       "输出尺寸是 (n_prev + 2 * pad - f) // stride + 1：请检查计算尺寸的地方参数的顺序。",
    "diagnosis.size_also_raised": "另有 {raised} 个出错的用例（两个公式在那里结果也不同）直接报错了。",
    "diagnosis.output_axes_padded": "{name} 的形状是 {got}，而应当是 {expected}：它的{axes}轴长度是 {counts}"
                                    "（pad = {pad}），多了 2 * pad 个；每个有填充的用例都是这样，而没有填充的用例全部正确："
                                    "这个轴也被填充了。只应填充高和宽：给 np.pad 的高和宽各用 (pad, pad)，其余各轴用 (0, 0)。",
    "axis_list_join": "和",
    "diagnosis.scatter_without_add_at": "`{line}`（在 {where} 中）通过数组下标做加法。当这个下标多次指向同一个元素"
                                        "（被几个窗口同时覆盖的输入元素）时，+= 只保留其中一份，而不是把各份都加上："
                                        "numpy 对每个元素只读、加、写各一次。np.add.at 会把每一份都加上。{fix}",
    "diagnosis.loop_name_reused": "`{line}`（在 {where} 中）用 {name} 计数，但 {where} 在这个循环之外也给 "
                                  "{name} 赋了别的值并读取它：循环跑完之后，{name} 里是循环的最后一个计数，"
                                  "而不是那个值。{fix}",
    "diagnosis.loop_rename_passes": "给计数变量另起一个名字：写成 `{new}`，并在那个循环里把 {name} 都换成 {renamed}，"
                                    "你的函数就通过所有用例。",
    "diagnosis.helper_writes_its_input": "{helper} 会改写传给它的数组（`{write}`），而 `{line}`（在 {where} 中）"
                                         "传给它的是 {argument} 本身而不是副本：这些改写改变了 {where} 所用的数据。{fix}",
    "diagnosis.copied_argument_passes": "要么传一个副本给 {helper}：在那里写 `{new}`，{where} 就通过所有用例；"
                                        "要么让 {helper} 不改写 {parameter}，把要返回的结果建成一个新数组。",
    "diagnosis.mode_misspelled": "`{line}`（在 {where} 中）拿 mode 与一个函数从来不会收到的词比较，"
                                 "所以 mode={mode!r} 时那个分支从不执行。{fix}",
    "diagnosis.minus_one_extra": "`{line}`（在 {where} 中）多减了一个 1。如果这个值是切片的终点：a:b 本来就不包括 b，"
                                 "所以从 a 开始的 f 个元素是 a:a + f。{fix}",
    "diagnosis.division_precedence": "`{line}`（在 {where} 中）先除以 {divisor}，再乘以 {factor}："
                                     "a / b * c 的意思是 (a / b) * c，而不是 a / (b * c)。{fix}",
    "diagnosis.floor_division": "每个值都是正确值向下取整后的整数：`{line}`（在 {where} 中）用 // 做除法，"
                                "也就是向下取整的整除。{fix}",
    "diagnosis.strides_of_another_array": "`{line}`（在 {where} 中）从 {other}.strides 取字节步长，"
                                          "但窗口视图是在 {array} 上建的（as_strided({array}, ...)）：两个数组形状不同时"
                                          "（例如填充后的数组每行比未填充的更长），按这些步长走会落到错误的元素上。{fix}",
    "diagnosis.strides_assume_contiguous": "`{line}`（在 {where} 中）传给 as_strided 的字节步长，是按 {array} "
                                           "在内存中顺序排列算出来的，但 {array} 并不是这样排列的：转置或切片只改变同一块"
                                           "内存的读法，所以视图读到了错误的元素。{fix}",
    "diagnosis.used_before_its_loop": "`{line}` 在 {name} 还没有被赋值时就用了它：在 {where} 中，{name} 只由循环 "
                                      "`{loop}` 赋值，而这个循环在这一行之后。请把这一行移到那个循环里面、`for` 之后。",
    "diagnosis.name_from_other_branch": "`{line}` 用到了 {name}，而在 {where} 中它只在 `if {test}` 的另一个分支里被赋值："
                                        "走这个分支的用例里，{name} 从来没有得到值。请在这个分支里也算出它需要的东西。",
    "diagnosis.caught_by": "你自己的检查 `{line}` 让函数在这个用例上停了下来；去掉这个检查，函数仍然出错，原因是：{text}",
    "axis_name.batch": "批量（样本）",
    "axis_name.channel": "通道",
    "diagnosis.unpad_negative_slice": "你的代码用 [pad:-pad] 切片，而 pad 为 0 时它是空的（-0 就是 0），这里在 pad 为 0 "
                                      "时就有一个数组变空或变短了（`{line}`）。请改用 [pad:pad + n_H_prev, pad:pad + n_W_prev] 切片。",
    "diagnosis.slice_too_short": "形状为 {shapes} 的两个数组本应形状相同：其中一个沿某个轴短了一截（某个切片结束得太早，"
                                 "或者开始得太晚）。请打印 `{line}` 两边的形状。",
    "diagnosis.pad_width_axes": "`{line}` 给 np.pad 的 (前, 后) 填充对只有 {pairs} 个，而数组有 {axes} 个轴："
                                "每个轴都要有一对，批量 (m, n_H, n_W, n_C) 应写成 ((0, 0), (pad, pad), (pad, pad), (0, 0))。",
    "diagnosis.pad_width_negative": "`{line}` 在这个用例上给了 np.pad 负的填充宽度：np.pad 只能添加行和列，不能去掉它们。"
                                    "请打印你传入的宽度；某个宽度小于 0 时，那里填充 0，并改为切掉相应数量的行和列。",
    "diagnosis.pad_width_negative_beyond_f": "`{line}` 在每个 pad > f - 1 的用例和探针上（共 {count} 个）都给了 np.pad "
                                             "负的填充宽度，而在 pad <= f - 1 的 {others} 个上都没有：像 f - 1 - pad "
                                             "这样的宽度（全卷积用它来填充 dZ）恰好在这些情况下小于 0，而 np.pad 不能裁剪。"
                                             "宽度为负时，请填充 0 并改为切掉相应数量的行和列（或者先按 f - 1 填充，"
                                             "再去掉前 pad 行和前 pad 列）。",
    "diagnosis.attribute_not_set": "`{line}` 读取的 self.{attribute} 在运行时并不存在于这个 {cls} 对象上：只有另一个方法"
                                   "（forward？）才会设置它，而被评分的函数是单独调用的。请从函数的参数（cache）里取它需要的东西，"
                                   "不要依赖之前的某次调用。",
    "diagnosis.broadcast_mismatch": "形状为 {shapes} 的两个数组无法组合：{why}请打印 `{line}` 两边的形状。",
    "broadcast_why.axes": "某个轴放错了位置，或者少了一个维度。",
    "broadcast_why.sizes": "它们的轴数相同，但有 {count} 个轴的大小不同：其中一个是按另一组大小生成或切出来的"
                           "（窗口大小不对，或者形状是用别的数算出来的）。",
    "diagnosis.undefined_helper": "{function} 调用了 `{name}`，但运行时它还没有定义：先运行定义 {name} 的单元格，"
                                  "并保持题目给出的函数名。",
    "diagnosis.undefined_name": "你的笔记本中没有定义 `{name}`：请在上面的某个单元格中定义或导入它，并运行那个单元格。",
    "diagnosis.numpy_not_imported": "`{name}` 没有定义：numpy 在第一个单元格中以 `np` 导入；请运行那个单元格，并使用 `np.`。",
    "diagnosis.unpack_mismatch": "把一个形状或 cache 拆包成了个数不对的名字（{detail}）。A_prev.shape 和 W.shape "
                                 "都有 4 项，卷积层的 cache 是 (A_prev, W, b, hparameters)，池化层的 cache 是 (A_prev, hparameters)。",
    "diagnosis.hparameter_key": "hparameters 里没有键 {key}：卷积层的 hparameters 含 \"stride\" 和 \"pad\"，"
                                "池化层的含 \"f\" 和 \"stride\"。",
    "diagnosis.none_used": "None 被当作值使用了（`{line}`）：某个函数返回了 None，因为它的 `return` 漏写了，"
                           "或者写在一个没有执行到的分支里。",
    "diagnosis.none_from_helper": "`{line}` 用到了 {helper} 的返回值，而 {helper} 返回的是 None：它的 `return` "
                                  "漏写了，或者写在这次调用没有走到的分支（if、循环）里。",
    "diagnosis.own_assert": "你自己写的检查 `{line}` 在这个用例上让 {function} 停了下来{with_values}{with_message}。"
                            "要么它假定的条件并非对函数必须处理的每个输入都成立（那就删掉它，把这种情况也处理好），"
                            "要么是它检查的东西在它前面你自己的代码里算错了。",
    "diagnosis.own_raise": "你自己写的 `{line}` 在这个用例上让 {function} 停了下来{with_values}。函数必须处理课程约定的"
                           "每一种输入：请检查导致这次 raise 的条件。",
    "diagnosis.with_values": "，此时 {values}",
    "diagnosis.with_message": "（它的信息：{message}）",
    "diagnosis.key_missing": "`{line}` 查找的键 {key} 并不存在。",
    "diagnosis.index_range": "`{line}` 读到了元组或列表的末尾之外：A_prev.shape 和 W.shape 各有 4 项（下标 0 到 3），"
                             "conv_forward 的 cache 有 4 项 (A_prev, W, b, hparameters)，pool_forward 的 cache 有 2 项 "
                             "(A_prev, hparameters)。",
    "diagnosis.reshape_size": "reshape 要求的元素个数与数组实际的个数不同（{detail}）：检查相乘的各个尺寸"
                              "（m * n_H * n_W、f * f * n_C_prev）。",
    "diagnosis.matmul_mismatch": "矩阵乘积的两个矩阵对不上（{detail}）：左边矩阵的列数必须等于右边矩阵的行数，"
                                 "例如图像块矩阵和 reshape 后的滤波器都应是 f * f * n_C_prev。",
    "diagnosis.einsum_subscripts": "einsum 的下标与操作数不匹配：每个操作数的每个轴对应一个字母，"
                                   "在两个操作数中都出现的字母，在两边对应的长度必须相同。",
    "diagnosis.none_attribute": "`{line}` 运行时 `{name}` 是 None，所以它没有 .{attribute}：本该设置它的东西"
                                "（另一个函数的调用，比如前向传播，或者某个分支）在这次调用之前并没有运行。被评分的函数是"
                                "单独调用的，只带着它自己的输入：请从它的参数（cache）里取它需要的东西，不要依赖之前的某次调用。",
    "diagnosis.einsum_label_sizes": "在 `{line}` 中，np.einsum 的字母 {label} 在两个操作数里对应的轴长度不同（{sizes}）。"
                                    "要么字母写得不是你的本意，要么某个操作数的形状不是你的本意：请打印各操作数的形状。",
    "diagnosis.einsum_channel_letters": "在 `{line}` 中，np.einsum 的字母 {letter} 在一个操作数里对应 {n_C} 个元素，"
                                        "在另一个里对应 {n_C_prev} 个：n_C = {n_C} 是输出的通道数，n_C_prev = {n_C_prev} "
                                        "是输入的通道数。某个通道轴用了另一个通道的字母：n_C_prev 是输入的通道轴，也是 W 的第三个轴"
                                        "（给定的 W 形状是 (f, f, n_C_prev, n_C)）；n_C 是 Z（或 dZ）的通道轴，也是 W 的第四个轴。"
                                        "请让每个轴的字母对应它真正存放的内容。{fix}",
    "diagnosis.edit_fix_passes": "请在那里写 `{new}`：这样改之后，你的函数通过所有用例。",
    "diagnosis.edit_fix_error_gone": "请在那里写 `{new}`：这样就不再报错，但改了之后你的函数仍有一些用例不对。",
    "diagnosis.einsum_shapes": "`{line}` 中 np.einsum 的操作数（形状为 {shapes}）与下标对不上：两个操作数共用的某个字母在"
                               "它们那里长度不同，或者某个操作数的轴数与它的字母个数不同。要么字母写得不是你的本意，"
                               "要么某个操作数的形状不是你的本意：请打印各操作数的形状。",
    "diagnosis.tuple_for_array": "在需要数组的地方用了元组或列表：cache 是一个元组，请先把它拆包成各个部分"
                                 "（函数的文档字符串列出了它们）。",
    "diagnosis.mode_fell_through": "mode={mode!r} 时什么也没有计算：请把 mode 与 \"max\" 和 \"average\" 逐字比较。",
    "diagnosis.recursion": "{function} 无休止地调用它自己：在函数内部应调用辅助函数（例如 conv_single_step），而不是 {function}。",
    "diagnosis.division_by_zero": "除以零了：某个尺寸算出来是 0。请检查输出尺寸和窗口的面积。",
    "diagnosis.all_zeros": "{name} 全是零：没有任何非零的值写进去。是不是某个循环的范围是空的，或者算出的结果没有保存？",
    "diagnosis.all_zeros_fractions": "{name} 全是零，而它的每个元素本应是 -1 到 1 之间的小数：要么没有任何非零的值写进去"
                                     "（循环的范围是空的，或算出的结果没有保存），要么每个值都丢掉了小数部分（整数数组，"
                                     "比如 np.zeros(..., dtype=int)，或者该用 / 的地方用了 //）。",
    "diagnosis.cut_to_whole_numbers": "{name} 的每个元素都是正确值去掉小数部分后的整数：它只存了整数。它是不是被建成了"
                                      "整数数组（dtype=int，或对整数数组用了 np.zeros_like），或者该用 / 的地方用了 //？",
    "diagnosis.not_finite": "{name} 含有 NaN 或无穷大：某处除以了零，或者数值无限增长。",
    "diagnosis.off_by_factor": "{text}",
    "diagnosis.factor_named_up": "在所有出错的用例上，{name} 的每个元素都是应有值的 {quantity} 倍{on_this_case}："
                                 "多乘了它一次，或者少除了它一次。",
    "diagnosis.factor_named_down": "在所有出错的用例上，{name} 的每个元素都是应有值除以 {quantity}{on_this_case}："
                                   "多除了它一次，或者少乘了它一次。",
    "diagnosis.factor_value": "（这个用例上是 {value}）",
    "diagnosis.factor_unnamed": "在所有出错的用例上，{name} 的每个元素都是应有值的 {factor} 倍：少了或多了一次除法或乘法。"
                                "{candidates}",
    "diagnosis.factor_candidates": "在这些用例上，下面每一个都等于它：{candidates}。",
    "quantity.window_area": "窗口的面积 f * f",
    "quantity.window_side": "窗口的边长 f",
    "quantity.window_cube": "f 的三次方 f * f * f",
    "quantity.window_volume": "窗口的体积 f * f * n_C_prev",
    "quantity.batch": "样本数 m",
    "quantity.positions": "输出位置的个数 n_H * n_W",
    "quantity.batch_positions": "样本数乘输出位置数 m * n_H * n_W",
    "quantity.channels": "输出通道数 n_C",
    "quantity.input_channels": "输入通道数 n_C_prev",
    "quantity.stride": "步幅",
    "quantity.stride_squared": "步幅的平方 stride * stride",
    "diagnosis.bias_missing": "在所有出错的用例上，{name} 都少了偏置 b：给每个元素加上 b，只加一次。",
    "diagnosis.bias_counted": "在所有出错的用例上，{name} 的每个元素里偏置 b 都被算了 {times} 次，而不是一次："
                              "b 只能加一次。",
    "diagnosis.fixes_all_factor": "{text}去掉这个因子后，你的函数通过所有用例。",
    "diagnosis.fixes_all_bias": "{text}b 只加一次后，你的函数通过所有用例。",
    "diagnosis.fixes_all": "{text}这样改之后，你的函数通过所有用例。",
    "diagnosis.with_helpers": "把你的 {helpers} 换成正确的返回值后，{function} 仍然不对：{text}",
    "diagnosis.constant_offset": "{name}{per_channel}的每个元素都差了同样的 {offset}：某个加上的项（偏置？）漏加了或加了不止一次。",
    "diagnosis.per_channel": "在每个通道内",
    "diagnosis.values_misplaced": "{name} 中的值是对的，但位置不对：{how}。",
    "diagnosis.values_moved": "{name} 里的值都对，但整体移动了 {rows} 行、{cols} 列（正数：向下或向右；负数：向上或向左）："
                              "是不是只在一侧做了填充（np.pad 每个轴接收 (前, 后)：应为 (pad, pad)），"
                              "或者每个窗口的起点不是 h * stride、w * stride 所在的行和列？",
    "diagnosis.axes_swapped": "它是把期望数组的第 {axes} 轴互换后的结果",
    "diagnosis.reordered": "它的元素就是期望的那些，只是顺序不同：某个 reshape 按与存储顺序不同的轴序读取了数据"
                           "（reshape 不会移动轴，transpose 才会）",
    "diagnosis.axis_flipped": "它是把期望数组沿第 {axis} 轴反转后的结果",
    "diagnosis.reshaped": "值是对的，但形状不对：{name} 的形状是 {got}，按顺序读出的元素正是期望的 {expected}。"
                          "请把它 reshape（或一开始就建成）{expected}。",
    "diagnosis.axis_not_summed": "{name} 的形状是 {got}，比期望的 {expected} 多一个轴：第 {axis} 个轴（长度 {size}）"
                                 "被保留了下来，而它本该被求和消掉。在每个返回了这种形状的用例上，把 {name} 沿这个轴求和"
                                 "（.sum(axis={axis})）正好得到期望的结果：请对这个轴求和（在 np.einsum 里，"
                                 "输出中不要写它的字母）。",
    "diagnosis.transposed_shape": "值是对的，但轴的顺序不对：{name} 的形状是 {got}，它是期望的 {expected} "
                                  "按 {order} 的顺序排列轴后的结果。",
    "diagnosis.some_examples": "这一批样本中只有第 {right} 个是对的，其余都不对。每个样本 i 都要用自己的切片"
                               "（A_prev[i]、dZ[i, ...]）：是不是把样本下标固定了（例如 A_prev[0]），"
                               "或者把上一个样本的结果留给了下一个？",
    "diagnosis.some_channels": "只有第 {right} 个通道是对的，其余都不对。每个通道 c 都要用自己的滤波器 "
                               "W[..., c] 和偏置 b[..., c]（池化时用自己的切片 [..., c]）：是不是把通道下标固定了？",
    "diagnosis.number_for_array": "{name} 是一个数，但它必须是形状为 {shape} 的数组，每个元素都是这个数："
                                  "用窗口的形状填一个数组，例如 np.full(shape, value) 或 np.ones(shape) * value。",
    "diagnosis.number_for_mask": "{name} 只是一个 True 或 False，但它必须是形状为 {shape} 的数组，x 的每个元素各对应一个 "
                                 "True 或 False：请拿 x 本身与它的最大值比较（x == np.max(x)）；拿一个值与最大值比较只会得到一个值。",
    "diagnosis.cost_wrong": "{name} 本身就不对，所以是前向传播出了错：请对照课程逐层检查 model_forward"
                            "（每个 ReLU、两个池化、展平和全连接层），并确认代价是整批样本的平均值。",
    "diagnosis.some_gradients": "{right} 的梯度是对的，{wrong} 的梯度不对。反向传播从最后一层往第一层进行："
                                "错误就出在最后一个梯度正确的参数和第一个梯度错误的参数之间"
                                "（漏了 ReLU 的掩码、用了另一层的 cache、reshape 没有撤销展平）。",
    "diagnosis.gradient_keys": "{name} 必须为每个参数存一个梯度，键就用参数自己的名字：{keys}。",
    "diagnosis.bool_mask": "掩码应在 x 取最大值处为 True、其余为 False（或 1 和 0）；与 dA 相乘要在之后进行，不要放在掩码里。",
    "diagnosis.factor": "{on_the_rest}它在{when_right}的所有用例和探针上都正确（共 {passed} 个），而在{when_wrong}"
                        "的 {of} 个中错了 {failed} 个。请看你的代码里随之变化的部分：{explanation}",
    "diagnosis.same_condition": "在{when_wrong}的用例和探针中，另有 {failed} 个没有出现那个错误，但也错了；而{when_right}的每一个都正确。"
                                "请先改掉上面那个原因，再回头看它们。",
    "diagnosis.on_the_rest": "在上面那个原因解释不了的用例上，",
    "when_joined_and": "{first}且{last}",
    "names_joined": "{first} 和 {last}",
    "when_joined_or": "{first}或{last}",
    "when.stride.simple": "步幅为 1 ",
    "when.stride.other": "步幅大于 1 ",
    "when.pad.simple": "不填充（pad 为 0）",
    "when.pad.other": "有填充（pad 大于 0）",
    "when.m.simple": "只有一个样本",
    "when.m.other": "有多个样本",
    "when.n_C.simple": "只有一个输出通道",
    "when.n_C.other": "有多个输出通道",
    "when.n_C_prev.simple": "只有一个输入通道",
    "when.n_C_prev.other": "有多个输入通道",
    "when.shape.simple": "输入为正方形",
    "when.shape.other": "输入的高和宽不相等",
    "when.f.simple": "窗口为 1 x 1（f = 1）",
    "when.f.other": "窗口大于 1 x 1",
    "when.overlap.simple": "窗口恰好相接（stride = f）",
    "when.overlap.other": "窗口相互重叠或彼此留有空隙（stride != f）",
    "when.overlap.overlapping": "窗口相互重叠（f > stride）",
    "when.overlap.not_overlapping": "窗口互不重叠",
    "when.overlap.gaps": "窗口之间留有空隙（stride > f）",
    "when.overlap.not_gaps": "窗口之间没有空隙",
    "when.mode.simple": "模式为 \"max\" ",
    "when.mode.other": "模式为 \"average\" ",
    "look.stride": "每个窗口从哪里开始（vert_start = h * stride，horiz_start = w * stride）、输出尺寸 "
                   "(n_prev + 2 * pad - f) // stride + 1、哪个输出元素对应哪个窗口（是 dZ[i, h, w, c]，而不是窗口的左上角），"
                   "以及反向时，步幅除不尽时没有任何窗口覆盖到的输入行和列（它们的梯度是 0，但它们仍然存在）。",
    "look.pad": "填充：只在高度和宽度两侧各填充 pad；尺寸中要算上 2 * pad；反向传播时用 "
                "[pad:pad + n_H_prev, pad:pad + n_W_prev] 把梯度截回原来的大小（写成完整卷积时：dZ 每侧填充 f - 1 - pad，"
                "而不是 f - 1；它为负数时，改为把结果每侧截去 pad - (f - 1)）。",
    "look.m": "对样本的循环：每个样本 i 都要有自己的切片、自己的结果，以及在对整批求和时自己的那一份。",
    "look.n_C": "输出通道：每个通道 c 都有自己的滤波器 W[..., c] 和偏置 b[..., c]（池化时是自己的切片 [..., c]）。",
    "look.n_C_prev": "输入通道：一个窗口要覆盖所有输入通道（切片以 : 结尾），W[..., c] 的形状是 (f, f, n_C_prev)，"
                     "而把滤波器旋转 180 度只转它的行和列（不带 axis 的 np.flip(W) 会把通道轴也倒过来）。",
    "look.shape": "高度和宽度：n_H 对应 h、行和 vert_*，n_W 对应 w、列和 horiz_*。",
    "look.overlap": "窗口之间共用的部分：窗口重叠的地方梯度要叠加（用 +=，绝不要用 =），每个窗口都要单独取；"
                    "把输入切成 f x f 小块的方法（reshape、np.repeat）只在窗口恰好相接（stride = f）时才对。",
    "look.mode": "这个模式的分支：\"max\" 取窗口的最大值（反向时用掩码），\"average\" 取窗口的平均值"
                 "（反向时把 dA 平均分给 f * f 个元素）。",
    "look.f": "窗口的大小：它覆盖 f 行 f 列（vert_end = vert_start + f），f = 1 时不能把长度为 1 的轴去掉（np.squeeze）；"
              "以及 1 x 1 窗口显示不出的东西：滤波器怎样翻转（1 x 1 的滤波器转置或旋转 180 度都不变：只有写成完整卷积的"
              "反向传播才要旋转它，W[::-1, ::-1]），元素在窗口中的位置（1 x 1 窗口里每个元素都是它窗口的最大值），"
              "以及每个窗口是从哪个数组里切出来的。",
    "look.f_pool": "窗口的大小：它覆盖 f 行 f 列（vert_end = vert_start + f），f = 1 时不能把长度为 1 的轴去掉（np.squeeze）；"
                   "以及 1 x 1 窗口显示不出的东西：元素在窗口中的位置（1 x 1 窗口里每个元素既是它窗口的最大值，也是平均值），"
                   "以及每个窗口是从哪个数组里切出来的。",
    "diagnosis.simplest_probe_fails": "即使在试过的最简单的输入 {described} 上（一个样本、一个通道、1 x 1 窗口、步幅 1、"
                                      "不填充）它也不对，所以错误出现在每个用例都要做的计算里，即使步幅为 1、不填充也会出现："
                                      "请把每一行与课程中的公式逐一对照（包括窗口本身的大小）。",
    "diagnosis.helper_fails": "{function} 调用了你写的 {helpers}，而 {helper} 还不对{why}：请先修正 {helper}（见它自己的检查）。",
    "diagnosis.helper_not_finished": "（它还没有写完）",
    "diagnosis.own_code_right": "把你的 {helpers} 换成正确的返回值后，{function} 通过了所有用例：{function} 的其余部分是对的。",
    "diagnosis.own_code_wrong": "把你的 {helpers} 换成正确的返回值后，{function} 仍然不对：{function} 的其余部分自己也有错误。",
    "diagnosis.loop_over_positions": "这就是对输出位置做 Python 循环有多慢：解释器要对每个位置（以及每个样本、每个通道）"
                                     "各运行一次循环体，而这里有成千上万个位置。请用 np.lib.stride_tricks.sliding_window_view "
                                     "一次取出所有窗口，让一次 numpy 调用（矩阵乘积、tensordot、einsum，或沿窗口轴取 max、mean）"
                                     "完成计算；反向传播中最多对窗口的 f x f 个偏移做循环，绝不要对 i、h、w 或 c 循环。",
    "diagnosis.train_harder": "先确保上面的梯度检查通过，然后训练更多轮，或换一个学习率，并观察损失曲线：它应该稳步下降。",
    "diagnosis.training_raised": "train_model 在训练集上训练时抛出了 {text}{where}。",
    "diagnosis.bad_parameters": "train_model 应该返回 (parameters, history)，其中 parameters 是以 {keys} 为键、"
                                "形状与 initialize_parameters 给出的相同的字典，但{problem}。",
    "diagnosis.not_timed_first": "请先运行上面的检查：{function} 必须先能算出正确结果，才会被计时。",
    "bad_parameters.not_dict": "它返回的是 {type}",
    "bad_parameters.wrong": "{key} 是{got}，而应该是形状 {shape}",
    "bad_parameters.not_finite": "{key} 含有 NaN 或无穷大（训练是不是发散了？）",
    # -- 笔记本的问题，以及给教师的标记 ------------------------------------------------------------------------
    "problem.unreadable": "笔记本文件无法读取（{error}）；它可能被截断了，或者不是笔记本",
    "problem.too_big": "笔记本有 {size} 字节，超过了 {limit} 字节的上限",
    "problem.cell_missing": "单元格 {grade_id!r} 不见了（被删除、改名或改了类型）",
    "problem.cell_failed": "单元格 {cell} 没有运行到底：{error}",
    "problem.cell_stopped": "单元格 {cell} 没有运行完：{reason}",
    "problem.stopped": "{reason}",
    "problem.no_answer_after_last": "沙箱在给出最后一个结果之后不再应答",
    "flag.locked_edited": "锁定的单元格 {grade_id!r} 被修改了",
    "flag.locked_deleted": "锁定的单元格 {grade_id!r} 被删除了",
    # -- 输出有上限（autograder/grading/bounds.py）：长列表中未列出的条目 -----------------------------------------
    "problem.more": "笔记本还有 {count} 个问题未列出（上面列出的是最先出现的几个）",
    "flag.more": "另有 {count} 个标记未列出",
    "cell.solution": "{grade_id!r}",
    "cell.added": "（你添加的，笔记本中的第 {number} 个）",
    "cell.setup": "{grade_id!r}（题目给出）",
    "cell.given": "{grade_id!r}（题目给出、被你修改过）",
    # -- 反馈页面 --------------------------------------------------------------------------------------------
    "feedback.title": "{assignment}：给 {student} 的反馈",
    "feedback.submitted_at": "提交时间：{timestamp}。",
    "feedback.score": "得分：{score} / {max}",
    "feedback.function": "函数",
    "feedback.points": "得分",
    "feedback.hidden_tests": "隐藏测试",
    "feedback.passed": "通过",
    "feedback.not_yet": "尚未通过",
    "feedback.problems": "笔记本的问题",
    "feedback.closing": "每个函数都在隐藏用例上运行过；只有所有用例都正确，这个函数才能得分。"
                        "在你的笔记本中运行检查单元格，可以试验你的修改。",
    # -- 全班汇总 --------------------------------------------------------------------------------------------
    "summary.title": "{assignment}：全班汇总",
    "summary.nobody": "还没有评过任何提交。",
    "summary.graded": "已评 {students}。总分：平均 {mean}，中位数 {median}，满分 {max}；{full} 人得满分。",
    "summary.students_one": "1 名学生",
    "summary.students_many": "{count} 名学生",
    "summary.isolation": "隔离方式：{isolation}",
    "summary.isolation_item": "{text}（{students}）",
    "summary.nothing_ran": "无（笔记本无法读取，没有运行任何代码）",
    "summary.per_function": "各函数情况",
    "summary.points": "分值",
    "summary.scores": "得分分布（得分：人数）",
    "summary.chart_alt": "各函数得满分的学生人数",
    "summary.chart_axis": "得满分的学生人数（共 {count} 人）",
    "summary.causes": "失分原因：哪些内容需要再讲一遍",
    "summary.causes_intro": "每一处失分都归到它的每一个原因下：已知错误、诊断结论，或者（对套件无法解释的错误）它的类型和信息。"
                            "一个函数有两处错误，就在两个原因下各计一次；一个函数因为它调用的辅助函数出错而失分，"
                            "就计在那个辅助函数的原因下。",
    "summary.environment": "因全班的运行环境而失分，而不是因为课程内容",
    "summary.environment_intro": "这些分数是因为全班所用的 numpy 版本而失去的，并不是课程内容上的错误：同样的代码在别的环境里能通过。"
                                 "请为全班统一解决一次。",
    "summary.points_lost": "失分",
    "summary.points_alone": "其中仅由此原因",
    "summary.instructor_can": "你可以怎么做",
    "summary.env_numpy2": "numpy 2 不允许对只含一个数、却带有维度的数组（形状为 (1, 1, 1) 的偏置 b）调用 float() 和 int()；"
                          "numpy 1 允许。请在全班的环境里把 numpy 固定在 2 以下（pip install \"numpy<2\"），"
                          "或者告诉全班改用在两个版本上都能用的 b.item()，然后重新评分。",
    "summary.env_alias": "numpy 1.24 移除了 np.float、np.int 等 Python 类型的别名。请告诉全班改用 float、int 等"
                         "（只含一个数的数组用 .item()），或者在全班的环境里把 numpy 固定在 1.24 以下，然后重新评分。",
    "cause.generic": "原因未指明（{cause}）",
    "summary.cause": "原因",
    "summary.students": "人数",
    "summary.lost_in": "失分的函数（人数）",
    "summary.who": "学生",
    "summary.what_to_do": "提示",
    "summary.and_more": "{shown} 等另外 {more} 人",
    "summary.none": "无：每个函数都得了满分。",
    "summary.totals": "总分分布",
    "summary.total": "总分",
    "summary.look_at": "需要查看的笔记本",
    "summary.flagged": "锁定的单元格被改动（已在成绩册中标记；只评学生自己的单元格）：",
    "summary.troubled": "评分时遇到的问题（学生也能看到）：",
    "summary.all_fine": "无：没有锁定的单元格被改动，每个笔记本都运行了。",
    "summary.student": "学生",
    "summary.flags": "标记",
    "summary.problems": "问题",
    "outcome.full_marks": "满分",
    "outcome.partial": "部分得分",
    "outcome.known_mistake": "已知错误",
    "outcome.diagnosed": "其他已查明的原因",
    "outcome.not_written": "未实现或缺失",
    "outcome.too_slow": "太慢",
    "outcome.not_accurate": "模型不够准确",
    "outcome.did_not_finish": "没有运行完",
    "outcome.other": "原因未查明",
    "cause.outcome.not_written": "还没有完成",
    "cause.outcome.missing": "函数缺失（单元格被删除、改名或无法运行）",
    "cause.outcome.did_not_finish": "没有运行完（超过时间或内存限制，或崩溃）",
    "cause.outcome.not_graded": "笔记本无法读取",
    "cause.outcome.wrong_value": "数值不对，原因未查明",
    "cause.outcome.wrong_shape": "形状不对，原因未查明",
    "cause.outcome.wrong_type": "类型不对，原因未查明",
    "cause.outcome.wrong_count": "返回值的个数不对",
    "cause.outcome.wrong_when_timed": "计时运行中结果错误",
    "cause.outcome.too_slow": "太慢",
    "cause.outcome.not_accurate": "训练出的模型不够准确",
    "cause.raised": "未能解释的错误：{pattern}",
    # -- 隔离方式，以及无法启动的沙箱 ----------------------------------------------------------------------
    "isolation.bubblewrap": "bubblewrap：无网络，独立的文件系统视图",
    "isolation.process": "仅在单独的进程中运行：网络和文件系统没有隔离（请安装 bubblewrap）",
    "isolation.own_user": "每个作业使用自己的用户",
    "isolation.no_own_user": "作业以评分程序自己的用户运行（只有以 root 运行评分程序，才能给每个作业单独的用户）",
    "isolation.ipc": "独立的 System V IPC 命名空间",
    "isolation.no_ipc": "作业结束时删除它创建的 System V IPC 对象（独立的命名空间需要 root）",
    "isolation.watchdog": "时间、内存（一个作业所有进程的总和）、进程数和文件的限制",
    "sandbox.cannot_run": "无法启动沙箱：{command}：{error}",
    "sandbox.bwrap_failed": "bubblewrap 无法创建沙箱（{stderr}）。它需要创建命名空间：以普通用户运行时，"
                            "必须启用非特权用户命名空间（sysctl kernel.unprivileged_userns_clone=1，"
                            "在 Ubuntu 上还有 kernel.apparmor_restrict_unprivileged_userns=0）；"
                            "或者用 --no-sandbox 评分（只有进程隔离）。",
    "sandbox.cannot_import": "沙箱中的 Python（{python}）无法从 {package} 导入评分程序的包：{stderr}。"
                             "请在这个 Python 中安装本套件（pip install -e .），或用装有它的 Python 运行评分程序。",
    "sandbox.no_answer": "沙箱启动后 {seconds} 秒内没有应答（{stderr}）；机器可能负载过重：请减少 --workers。",
    "sandbox.ended": "沙箱刚启动就结束了（退出状态 {status}）：{stderr}",
    "console.not_graded": "未评分 {student}：评分程序出错（{reason}）；请重新运行这个命令再试一次",
    "console.plan": "{assignment} 共有 {count} 份提交：{done} 份已评，{todo} 份待评，{how}",
    "console.on_scheduler": "在 {scheduler} 上",
    "console.with_workers": "使用 {workers} 个工作进程",
    "console.written": "报告：{report}；全班汇总：{summary}",
    "console.kit": "套件：{root}",
    "console.gradebook": "成绩册：{url}",
    # -- 评分程序拒绝整次运行（autograder.grading.Refused） ---------------------------------------------
    "refused.no_such_assignment": "{kit} 处的套件没有作业 '{assignment}'；它有：{known}",
    "refused.other_kit_loaded": "这个进程已经载入了 {loaded} 的套件；请在新的进程中用 {kit} 的套件评分",
    "refused.no_kit_there": "--kit {kit}：那里没有 {package}/ 包（套件的检出目录中才有）",
    "refused.no_kit": ("评分程序需要套件的 {package}/ 包（仅供教师，不为学员安装）：课程目录 {course} 和 "
                       "{installed_from} 中都没有；请用 --kit DIR 指定套件的检出目录"),
    "refused.no_notebook": "缺少 {path}：请先在课程目录中运行 `nbgrader generate_assignment {assignment}`",
    "refused.unchecked_cells": ("{assignment}：套件对评分单元格 {cells} 没有检查；请用 "
                                "`nbgrader autograde {assignment}` 为这个作业评分"),
    "refused.no_gradebook": ("{url} 处没有成绩册：请先在课程目录中运行 `nbgrader generate_assignment "
                             "{assignment}`（成绩册由课程 nbgrader_config.py 中的 c.CourseDirectory.db_url 指定）"),
    "refused.gradebook_unreachable": ("无法打开成绩册 {url}（{error}）。请检查课程 nbgrader_config.py 中的 "
                                      "c.CourseDirectory.db_url：数据库必须存在且可以连接；PostgreSQL 成绩册需要"
                                      "安装驱动（pip install psycopg2-binary），地址形如 "
                                      "postgresql+psycopg2://user@host/database。"),
    "refused.not_in_gradebook": ("成绩册 {url} 中没有作业 '{assignment}'：请先在课程目录中运行 "
                                 "`nbgrader generate_assignment {assignment}`"),
    # -- similar submissions (autograder similarity) -----------------------------------------------------
    'similarity.title': '相似的提交：{assignment}',
    'similarity.notice': '相似只是值得查看的理由，不是抄袭的证据。学习同一课程的学员写出的代码本来就相近，高分只说明哪些笔记本值得并排阅读。在读过代码并与学员交谈之前，请不要下任何结论。',
    'similarity.method': '计算方法：每个函数先被解析并规范化（学员自取的名字、排版、注释、互不依赖的语句的顺序以及等价的 numpy 写法都不计入），再用 winnowing 算法取指纹（Schleimer、Wilkerson 与 Aiken，2003 年；即 MOSS 所用的方法）。发布版本中给出的代码不计入，超过 {common_limit} 份提交共有的代码也不计入。得分 = 2 × 共同指纹数 / （一方的指纹数 + 另一方的指纹数）：代码相同为 100%，毫无共同之处为 0%。',
    'similarity.counts': '共比较 {students} 份提交，逐个函数比较（{functions}）；已知答案 {known} 份；未比较的文件 {skipped} 个。',
    'similarity.threshold': '列出得分不低于 {threshold} 的结果。',
    'similarity.heading_pairs': '学员两两比较，按总分排序',
    'similarity.heading_function_pairs': '学员两两比较，逐个函数',
    'similarity.heading_known': '与已知答案相符',
    'similarity.heading_clusters': '群组：三名或更多学员共用同一份答案',
    'similarity.heading_excerpts': '并排对照',
    'similarity.heading_known_excerpts': '与已知答案并排对照',
    'similarity.heading_skipped': '未比较的文件',
    'similarity.heading_notes': '未比较的函数',
    'similarity.no_pairs': '没有任何一对学员达到阈值。',
    'similarity.no_function_pairs': '这个函数上没有任何一对达到阈值。',
    'similarity.no_known': '没有提交与已知答案的相似度达到阈值。',
    'similarity.no_known_given': '没有提供已知答案（如需与之比较：--against 目录）。',
    'similarity.no_clusters': '没有群组。',
    'similarity.shown': '这里显示前 {shown} 项，共 {total} 项；JSON 报告最多列出 {listed} 项。',
    'similarity.col_rank': '#',
    'similarity.col_student': '学员',
    'similarity.col_other': '另一名学员',
    'similarity.col_known': '已知答案',
    'similarity.col_overall': '总分',
    'similarity.col_score': '得分',
    'similarity.col_closest': '最相近的函数',
    'similarity.col_students': '学员',
    'similarity.col_mean': '平均总分',
    'similarity.col_functions': '函数（平均得分）',
    'similarity.col_file': '文件',
    'similarity.col_reason': '原因',
    'similarity.pair': '{a} 与 {b}：总分 {overall}',
    'similarity.function_score': '{function}：{score}',
    'similarity.not_comparable': '{function}：有一方太短，无法比较',
    'similarity.legend': '同一颜色标出的行代码相符（规范化后相同，与名字无关）；未标出的行不相符。行号从函数的第一行算起。',
    'similarity.excerpts_link': '并排对照',
    'similarity.reason_unreadable': '无法读取该文件（{error}）',
    'similarity.reason_too_large': '文件大小为 {size} 字节，超过上限 {limit}',
    'similarity.reason_missing': '笔记本不存在',
    'similarity.reason_no_function': '其中没有找到本次作业的任何函数',
    'similarity.reason_reader_failed': '读取失败（{error}）',
    'similarity.reason_cell_does_not_parse': '代码单元 {cell} 不是有效的 Python（{error}）；能单独解析的函数已保留',
    'similarity.reason_function_too_long': '{function} 太长，无法比较',
    'similarity.reason_function_not_compared': '无法比较 {function}（{error}）',
    'similarity.started': '{assignment}：提交 {students} 份；已知答案 {known} 份；待比较的函数 {functions} 个',
    'similarity.done': '得分不低于 {threshold} 的学员对：{pairs} 对；群组：{clusters} 个；与已知答案相符：{known} 项。报告：{json} 和 {html}。相似只是值得查看的理由，不是抄袭的证据。',
    'similarity.no_release': '{path} 处没有发布版笔记本：请先运行 `nbgrader generate_assignment {assignment}`。',
    'similarity.no_functions': '发布版笔记本中没有包含函数的答案单元，没有可比较的内容。',
    'similarity.release_unreadable': '无法读取发布版笔记本 {path}：{reason}。',
    'similarity.no_folder': '文件夹不存在：{path}',
    'similarity.bad_threshold': '阈值是 0 到 1 之间的得分，而不是 {value}。',
    'similarity.summary_line': '相似的提交（值得查看的理由，不是抄袭的证据）：得分不低于 {threshold} 的学员对 {pairs} 对；群组 {clusters} 个；与已知答案相符 {known} 项。详见 {link}。',
    'similarity.help': '逐个函数查找相似的提交，并写出 reports/<作业>/similarity.html。',
    'similarity.help_assignment': '作业名称',
    'similarity.help_course': 'nbgrader 课程目录（默认：.）',
    'similarity.help_against': '存放已知答案（.ipynb 或 .py）的文件夹，每份提交都与之比较',
    'similarity.help_threshold': '列出的最低得分，介于 0 和 1 之间（默认：%(default)s）',
    'similarity.help_language': '报告的语言（默认：$AUTOGRADER_LANGUAGE，其次是课程的 autograder.json，否则为 en）',
    'similarity.help_function': '只比较这个函数（可重复；默认：发布版答案单元中的全部函数）',
    'similarity.help_workers': '读取笔记本的进程数（默认：CPU 核数）',
    'similarity.help_no_progress': '不显示进度条',
    # -- 控制台 ----------------------------------------------------------------------------------------------
    "console.isolation": "隔离方式：{isolation}",
    # -- 课程里的公开检查：梯度与数值梯度比较，宽松的计时检查 ------------------------------------------------
    "gradient_pass": "{label}，{name}：相对误差 {error}，在阈值 {threshold} 以内：通过。",
    "gradient_attention": "{label}，{name}：相对误差 {error}，超过了阈值 {threshold}：注意，这个梯度不对。",
    "gradient_shape": "{label}，{name}：形状是 {got}，而数值梯度的形状是 {expected}：注意，这个梯度不对。",
    "passed_timing": "{function}：在公开的计时用例上速度足够，用时 {took}，占本机允许时间 {allowed} 的 {share}。",
    "visible_timing": "公开的计时用例",
    "which_validation": "验证集",
    # -- 截止时间、重新评分和题目分析（教师的一个学期） ------------------------------------------------------
    "feedback.due_on_time": "截止时间 {due}（UTC）{extension}：按时提交。",
    "feedback.due_late": "截止时间 {due}（UTC）{extension}：迟交了 {late}。",
    "feedback.extension": "，已延期 {extension}",
    "feedback.penalty": "迟交扣分：{penalty} 分；扣分后得分：{after} / {max}。",
    "feedback.no_penalty": "没有迟交扣分。",
    "feedback.regrade_changed": "你的提交被重新评分后，成绩从 {before} 变为 {after}（满分 {max}），原因是：{why}。",
    "feedback.regrade_same": "你的提交被重新评分了，原因是：{why}。成绩不变（{after} / {max}），"
                             "但这份反馈中关于以下函数的内容有变化：",
    "feedback.reviewed": "教师复核后：{score} / {max}。",
    "feedback.points_reviewed": "{score} / {max}（教师评定；检查给出的是 {automatic}）",
    "feedback.comments": "教师的评语",
    "feedback.regrade_function": "{before} → {after} / {max}",
    "duration.join": " ",
    "duration.day_one": "1 天",
    "duration.day_many": "{n} 天",
    "duration.hour_one": "1 小时",
    "duration.hour_many": "{n} 小时",
    "duration.minute_one": "1 分钟",
    "duration.minute_many": "{n} 分钟",
    "duration.second_one": "1 秒",
    "duration.second_many": "{n} 秒",
    "why.separator": "；",
    "why.kit": "评分程序更新了",
    "why.secret": "隐藏用例重新抽取了",
    "why.reference": "教师的参考答案改了",
    "why.release": "发布的笔记本改了",
    "why.cases": "{function} 的检查被修正或补充了",
    "why.points": "{function} 的分值改了",
    "why.mistakes": "{function} 的检查所能识别的已知错误改了",
    "why.hints": "{function} 的提示重写了",
    "why.added": "{function} 现在也计分了",
    "why.removed": "{function} 不再计分",
    "why.unrecorded": "评分程序更新了（之前的评分没有记录它依据的评分方案）",
    "why.forced": "教师要求重新评分",
    "console.stale": "{count} 份结果是按旧的评分方案评的（{why}）：重新评分",
    "console.reworded_plan": "{count} 份结果只有提示不同（{why}）：重新生成反馈，不必重新评分",
    "console.regrade_changed": "{count} 名学生中有 {changed} 人的成绩变了；名单见 {report}",
    "console.regrade_same": "重新评了 {count} 名学生：成绩都没有变",
    "console.feedback_changed": "{count} 名学生的反馈变了，成绩没有变",
    "console.late_plugin_failed": "迟交插件出错：{error}",
    "refused.late_plugin": ("无法载入迟交插件 {plugin}（课程 nbgrader_config.py 中的 "
                            "c.AssignLatePenalties.plugin_class）：{error}。nbgrader autograde 也会同样失败："
                            "请把插件的模块放在课程目录中，或改正这项设置。"),
    "summary.late": "截止时间",
    "summary.late_intro": "{count} 份提交中有 {late} 在截止时间之后提交（作业的截止时间，加上成绩册中记录的延期）；"
                          "扣分由 {plugin} 给出，与 nbgrader export 显示的一致。",
    "summary.due": "截止时间（UTC）",
    "summary.extension": "延期",
    "summary.late_by": "迟交",
    "summary.penalty": "扣分",
    "summary.after_penalty": "扣分后得分",
    "summary.regrade": "修改后重新评分",
    "summary.regrade_intro": "{count} 名学生中有 {changed} 人的成绩变了。成绩和反馈都没有变的学生不列出。",
    "summary.before": "之前",
    "summary.after": "之后",
    "summary.changed_functions": "有变化的函数",
    "summary.why": "原因",
    "summary.when": "时间（UTC）",
    "items.title": "全班错在哪里：题目分析",
    "items.intro": "按函数（得满分）和按函数的隐藏用例类别（该类隐藏用例全部通过）统计：通过的学生比例，以及区分度，"
                   "即通过与否和其余成绩（总分减去该函数的分值）之间的相关系数（点二列相关，从 -1 到 1）。接近 1："
                   "通过它的学生在别处也做得好。接近 0 或为负：通过与否和其余成绩关系不大，值得看一看。学生少于 "
                   "{min} 人，或者全部通过、全部未通过时，不计算（—）。通过率与所属函数完全相同的类别不在表中列出"
                   "（report.json 中有）。",
    "items.item": "函数 · 隐藏用例类别",
    "items.passed": "通过",
    "items.discrimination": "区分度",
    "items.chart_alt": "各函数及各类隐藏用例的通过比例，颜色表示区分度",
    "items.chart_axis": "全班通过的比例（灰色：未计算区分度）",
    "items.hard_intro": "几乎所有人都没通过的用例（函数能运行的学生中最多 {share}% 通过，至少 {min} 名学生）："
                        "是课程讲得有问题，还是用例本身错了？",
    "items.hard_case": "{attempted} 人中 {passed} 人通过",
    "items.no_hard": "没有几乎所有人都没通过的用例（在至少 {min} 名函数能运行的学生中，通过率不超过 {share}%）。",
    "items.case_visible": "公开用例 {case}",
    "items.case_hidden": "隐藏用例 {case}",
    "items.case_timing": "计时用例 {case}",
    "items.case_training": "{case} 的训练",
    "family.stride_1": "步幅为 1",
    "family.stride_2plus": "步幅 > 1",
    "family.pad_0": "填充为 0",
    "family.pad_1plus": "填充 > 0",
    "family.overlap": "窗口重叠（f > 步幅）",
    "family.f_1": "1 × 1 窗口",
    "family.one_channel": "单通道",
    "family.nonsquare": "高 ≠ 宽",
    "family.batch_1": "单个样本（m = 1）",
    "family.mode_max": "最大池化",
    "family.mode_average": "平均池化",
    "family.gradient": "数值梯度检查",
    "family.timed": "计时",
    # -- autograder --help ------------------------------------------------------------------------------
    "cli.usage": "用法：",
    "cli.positionals": "位置参数",
    "cli.options": "选项",
    "cli.help": "显示本帮助并退出",
    "cli.metavar_assignment": "作业",
    "cli.metavar_dir": "目录",
    "cli.metavar_n": "N",
    "cli.metavar_address": "地址",
    "cli.metavar_student": "学号",
    "cli.metavar_seconds": "秒数",
    "cli.metavar_mib": "MiB",
    "cli.metavar_file": "文件",
    "cli.metavar_function": "函数名",
    "cli.metavar_score": "得分",
    "grade.program": "CNN-in-numpy 课程套件的评分程序。",
    "grade.help": "评一份作业的所有提交，代替 nbgrader autograde",
    "grade.description": ("在 nbgrader 课程目录中评「作业」的所有提交，代替 nbgrader autograde：成绩写入 "
                          "nbgrader 配置的成绩册，报告写入 reports/<作业>/report.json 和 summary.md，反馈写入 "
                          "feedback/，供 nbgrader release_feedback 使用。每份提交在同一评分方案下只评一次：新的提交，"
                          "或评分方案的修改（修正或增加了用例、重写了提示），不用 --force 也会重新评分，"
                          "报告中列出修改前后的成绩。"),
    "grade.help_assignment": "作业名称",
    "grade.help_course": "nbgrader 课程目录（默认：.）",
    "grade.help_kit": "套件的检出目录，其中有 instructor/ 包（默认：课程目录中有就用它，否则用安装本评分程序的检出目录）",
    "grade.help_workers": "本机工作进程数（默认：CPU 核数）",
    "grade.help_scheduler": "在 Dask distributed 集群上评分，例如 tcp://10.0.0.5:8786",
    "grade.help_force": "已评过的学生也重新评分",
    "grade.help_student": "只评这名学生（可重复）",
    "grade.help_call_timeout": "每次函数调用的墙钟时间上限，秒（默认：%(default)s）",
    "grade.help_submission_timeout": "每份提交的墙钟时间上限，秒（默认：%(default)s）",
    "grade.help_memory": "每份提交的内存上限，MiB（默认：%(default)s）",
    "grade.help_no_sandbox": "即使装了 bubblewrap 也不用它（只有进程隔离）",
    "grade.help_language": "反馈、报告和汇总的语言（默认：$AUTOGRADER_LANGUAGE，其次是课程的 autograder.json，否则 en）",
    "grade.help_no_progress": "不显示进度条",
    "export.help": "把成绩册中的成绩导出为 Canvas 或 Moodle 能导入的 CSV 文件",
    "export.description": ("把成绩册中的成绩写成学习管理系统能导入的 CSV 文件：每名学生一行，每份作业一列，"
                           "数值是扣除迟交扣分后的得分（与 nbgrader export "
                           "--exporter=autograder.grading.export.CanvasExportPlugin 或 MoodleExportPlugin 相同）。"),
    "export.help_format": "canvas 或 moodle",
    "export.help_to": "要写入的文件（默认：课程目录中的 canvas.csv 或 moodle.csv）",
    "export.help_assignment": "只导出这份作业（可重复；默认：全部）",
    "export.help_student": "只导出这名学生（可重复；默认：所有人）",
    "export.written": "{format} 成绩已写入 {path}",
    "export.no_gradebook": "{url} 处没有成绩册：请先评一份作业",
}
