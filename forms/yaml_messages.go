package forms

import "strings"

// YAMLMessage words a YAML parser's (English) syntax error for an
// administrator, in Chinese, with the usual cause. An error it does not
// know keeps the parser's words after a Chinese lead.
func YAMLMessage(msg string) string {
	msg = strings.TrimSpace(msg)
	for _, t := range yamlMessages {
		if strings.Contains(msg, t.en) {
			return t.zh
		}
	}
	return "无法解析（" + msg + "）"
}

// yamlMessages are yaml.v3's common errors, most specific first.
var yamlMessages = []struct{ en, zh string }{
	{"found a tab character", "用 Tab 键缩进了：YAML 只能用空格缩进"},
	{"found character that cannot start any token", "这一行有不能出现在开头的字符；常见原因是用 Tab 键缩进（应改用空格）"},
	{"while scanning a quoted scalar", "引号没有闭合：请检查这一行或上面的引号是否成对"},
	{"found unknown escape character", "双引号里有无效的转义符 \\：改用单引号，或写成 \\\\"},
	{"did not find expected ',' or '}'", "花括号 { } 没有闭合，或其中的项之间少了逗号"},
	{"did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或其中的项之间少了逗号"},
	{"mapping values are not allowed in this context", "这里不能写「键: 值」：可能是冒号后少了空格、引号没有闭合，或缩进不对"},
	{"block sequence entries are not allowed in this context", "这里不能开始列表项「- 」：请检查上一行的冒号和缩进"},
	{"did not find expected key", "缩进没有对齐：同一层的键应左对齐"},
	{"did not find expected '-' indicator", "列表没有对齐：同一列表的「- 」应左对齐"},
	{"could not find expected ':'", "缺少冒号：键和值之间用「: 」分隔"},
	{"did not find expected node content", "缺少内容：这里应有一个值"},
	{"found unexpected end of stream", "文件意外结束：请检查引号和括号是否成对"},
}
