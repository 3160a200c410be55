"""Every sentence and heading of the similarity tool that a person reads, in English and Chinese.

Rendered from data with :func:`say`; the report, the command's messages and
its ``--help`` take their words from here and nowhere else. (To be merged
into the kit's message catalogues.)
"""
from __future__ import annotations

LANGUAGES = ("en", "zh")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # the report
        "title": "Similar submissions: {assignment}",
        "notice": ("Similarity is a reason to look, not proof of copying. Learners who follow the same lesson "
                   "write alike, and a high score only says which notebooks deserve a side-by-side reading. "
                   "Decide nothing before reading the code and talking with the learners."),
        "method": ("How it is measured: each function is parsed and normalized (names chosen by the learner, "
                   "layout, comments, the order of independent statements and equivalent numpy spellings do not "
                   "count), then fingerprinted by winnowing (Schleimer, Wilkerson and Aiken, 2003: the method of "
                   "MOSS). Code given in the release does not count, nor code shared by more than {common_limit} "
                   "submissions. A score is 2 x shared fingerprints / (fingerprints of one + fingerprints of the "
                   "other): 100% for the same code, 0% for nothing in common."),
        "counts": ("Submissions compared: {students}, function by function ({functions}). Known solutions: "
                   "{known}. Files not compared: {skipped}."),
        "threshold": "Listed: scores of {threshold} or more.",
        "heading_pairs": "Pairs of students, by overall score",
        "heading_function_pairs": "Pairs of students, function by function",
        "heading_known": "Matches with known solutions",
        "heading_clusters": "Clusters: three or more students sharing one solution",
        "heading_excerpts": "Side by side",
        "heading_known_excerpts": "Side by side with the known solutions",
        "heading_skipped": "Files not compared",
        "heading_notes": "Functions not compared",
        "no_pairs": "No pair of students reaches the threshold.",
        "no_function_pairs": "No pair reaches the threshold on this function.",
        "no_known": "No submission matches a known solution at the threshold.",
        "no_known_given": "No known solutions were given (compare with them: --against DIR).",
        "no_clusters": "No cluster.",
        "shown": "The first {shown} of {total} are shown; the JSON report lists up to {listed}.",
        "col_rank": "#",
        "col_student": "student",
        "col_other": "other student",
        "col_known": "known solution",
        "col_overall": "overall",
        "col_score": "score",
        "col_closest": "closest function",
        "col_students": "students",
        "col_mean": "mean overall score",
        "col_functions": "functions (mean score)",
        "col_file": "file",
        "col_reason": "reason",
        "pair": "{a} and {b}: {overall} overall",
        "function_score": "{function}: {score}",
        "not_comparable": "{function}: too short on one side to compare",
        "legend": ("Lines marked in the same colour hold matching code (the same normalized code, whatever "
                   "the names); unmarked lines do not match. Line numbers count from the function's first line."),
        "excerpts_link": "side by side",
        # why a file or a function was not compared
        "reason_unreadable": "the file could not be read ({error})",
        "reason_too_large": "the file is {size} bytes, over the limit of {limit}",
        "reason_missing": "the notebook is missing",
        "reason_no_function": "no function of the assignment was found in it",
        "reason_reader_failed": "reading it failed ({error})",
        "reason_cell_does_not_parse": ("code cell {cell} is not valid Python ({error}); functions that parse alone "
                                       "were kept"),
        "reason_function_too_long": "{function} is too long to compare",
        "reason_function_not_compared": "{function} could not be compared ({error})",
        # the command
        "started": "{assignment}: submissions: {students}; known solutions: {known}; functions to compare: {functions}",
        "done": ("Pairs of students at {threshold} or more: {pairs}; clusters: {clusters}; matches with known "
                 "solutions: {known}. Report: {json} and {html}. Similarity is a reason to look, not proof of "
                 "copying."),
        "no_release": "No release notebook at {path}: run `nbgrader generate_assignment {assignment}` first.",
        "no_functions": "The release notebook has no solution cell holding a function: there is nothing to compare.",
        "release_unreadable": "The release notebook {path} could not be read: {reason}.",
        "no_folder": "No such folder: {path}",
        "bad_threshold": "The threshold is a score between 0 and 1, not {value}.",
        "summary_line": ("Similar submissions (a reason to look, not proof of copying): pairs at {threshold} or "
                         "more: {pairs}; clusters: {clusters}; matches with known solutions: {known}. See {link}."),
        # --help
        "help": "Find similar submissions, function by function, and write reports/<assignment>/similarity.html.",
        "help_assignment": "the assignment's name",
        "help_course": "nbgrader course directory (default: .)",
        "help_against": "a folder of known solutions (.ipynb or .py) to compare every submission with",
        "help_threshold": "lowest score listed, between 0 and 1 (default: %(default)s)",
        "help_language": "language of the report (default: %(default)s)",
        "help_function": ("compare only this function (repeatable; default: every function of the release's "
                          "solution cells)"),
        "help_workers": "processes that read the notebooks (default: the number of cores)",
        "help_no_progress": "no progress bar",
    },
    "zh": {
        "title": "相似的提交：{assignment}",
        "notice": ("相似只是值得查看的理由，不是抄袭的证据。学习同一课程的学员写出的代码本来就相近，"
                   "高分只说明哪些笔记本值得并排阅读。在读过代码并与学员交谈之前，请不要下任何结论。"),
        "method": ("计算方法：每个函数先被解析并规范化（学员自取的名字、排版、注释、互不依赖的语句的顺序以及"
                   "等价的 numpy 写法都不计入），再用 winnowing 算法取指纹（Schleimer、Wilkerson 与 Aiken，"
                   "2003 年；即 MOSS 所用的方法）。发布版本中给出的代码不计入，超过 {common_limit} 份提交共有的"
                   "代码也不计入。得分 = 2 × 共同指纹数 / （一方的指纹数 + 另一方的指纹数）：代码相同为 100%，"
                   "毫无共同之处为 0%。"),
        "counts": "共比较 {students} 份提交，逐个函数比较（{functions}）；已知答案 {known} 份；未比较的文件 {skipped} 个。",
        "threshold": "列出得分不低于 {threshold} 的结果。",
        "heading_pairs": "学员两两比较，按总分排序",
        "heading_function_pairs": "学员两两比较，逐个函数",
        "heading_known": "与已知答案相符",
        "heading_clusters": "群组：三名或更多学员共用同一份答案",
        "heading_excerpts": "并排对照",
        "heading_known_excerpts": "与已知答案并排对照",
        "heading_skipped": "未比较的文件",
        "heading_notes": "未比较的函数",
        "no_pairs": "没有任何一对学员达到阈值。",
        "no_function_pairs": "这个函数上没有任何一对达到阈值。",
        "no_known": "没有提交与已知答案的相似度达到阈值。",
        "no_known_given": "没有提供已知答案（如需与之比较：--against 目录）。",
        "no_clusters": "没有群组。",
        "shown": "这里显示前 {shown} 项，共 {total} 项；JSON 报告最多列出 {listed} 项。",
        "col_rank": "#",
        "col_student": "学员",
        "col_other": "另一名学员",
        "col_known": "已知答案",
        "col_overall": "总分",
        "col_score": "得分",
        "col_closest": "最相近的函数",
        "col_students": "学员",
        "col_mean": "平均总分",
        "col_functions": "函数（平均得分）",
        "col_file": "文件",
        "col_reason": "原因",
        "pair": "{a} 与 {b}：总分 {overall}",
        "function_score": "{function}：{score}",
        "not_comparable": "{function}：有一方太短，无法比较",
        "legend": "同一颜色标出的行代码相符（规范化后相同，与名字无关）；未标出的行不相符。行号从函数的第一行算起。",
        "excerpts_link": "并排对照",
        "reason_unreadable": "无法读取该文件（{error}）",
        "reason_too_large": "文件大小为 {size} 字节，超过上限 {limit}",
        "reason_missing": "笔记本不存在",
        "reason_no_function": "其中没有找到本次作业的任何函数",
        "reason_reader_failed": "读取失败（{error}）",
        "reason_cell_does_not_parse": "代码单元 {cell} 不是有效的 Python（{error}）；能单独解析的函数已保留",
        "reason_function_too_long": "{function} 太长，无法比较",
        "reason_function_not_compared": "无法比较 {function}（{error}）",
        "started": "{assignment}：提交 {students} 份；已知答案 {known} 份；待比较的函数 {functions} 个",
        "done": ("得分不低于 {threshold} 的学员对：{pairs} 对；群组：{clusters} 个；与已知答案相符：{known} 项。"
                 "报告：{json} 和 {html}。相似只是值得查看的理由，不是抄袭的证据。"),
        "no_release": "{path} 处没有发布版笔记本：请先运行 `nbgrader generate_assignment {assignment}`。",
        "no_functions": "发布版笔记本中没有包含函数的答案单元，没有可比较的内容。",
        "release_unreadable": "无法读取发布版笔记本 {path}：{reason}。",
        "no_folder": "文件夹不存在：{path}",
        "bad_threshold": "阈值是 0 到 1 之间的得分，而不是 {value}。",
        "summary_line": ("相似的提交（值得查看的理由，不是抄袭的证据）：得分不低于 {threshold} 的学员对 {pairs} 对；"
                         "群组 {clusters} 个；与已知答案相符 {known} 项。详见 {link}。"),
        "help": "逐个函数查找相似的提交，并写出 reports/<作业>/similarity.html。",
        "help_assignment": "作业名称",
        "help_course": "nbgrader 课程目录（默认：.）",
        "help_against": "存放已知答案（.ipynb 或 .py）的文件夹，每份提交都与之比较",
        "help_threshold": "列出的最低得分，介于 0 和 1 之间（默认：%(default)s）",
        "help_language": "报告的语言（默认：%(default)s）",
        "help_function": "只比较这个函数（可重复；默认：发布版答案单元中的全部函数）",
        "help_workers": "读取笔记本的进程数（默认：CPU 核数）",
        "help_no_progress": "不显示进度条",
    },
}


def say(language: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``language`` (English if the language is unknown), with ``values`` filled in."""
    table = WORDS.get(language, WORDS["en"])
    return table[key].format(**values)


def percent(score: float) -> str:
    """A score in 0..1 as a whole percentage, e.g. ``87%``."""
    return f"{round(100 * score)}%"
