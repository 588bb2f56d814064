// Package sheets reads the screening lists county departments upload
// (部门预警推送: 乡镇, 村, 姓名, 身份证号 and the department's own columns)
// and writes spreadsheets back, chiefly the error sheet that lists the rows
// a form refused and why. Each row of a list becomes one submission of a
// forms.Definition whose fields are the columns: MapColumns matches the
// header to the fields and Columns.Values gives the input the form engine
// validates.
//
// # Formats
//
// Open tells the format by content, never by the file's name, because
// uploads are routinely misnamed:
//
//   - .xlsx (a zip, "PK\x03\x04"), from Excel or WPS: the first sheet is read
//     with excelize, already the project's spreadsheet library (see
//     forms/xlsform.go). Cells are read raw, not as displayed: a number
//     format such as "#,##0" would otherwise round 1234.56 to "1,235"
//     without a word, so dates arrive as serial numbers and Values turns
//     them into dates for date fields (1900 and 1904 date systems).
//   - .csv: Excel saves "CSV (逗号分隔)" in the system code page, GBK on a
//     Chinese Windows, and "CSV UTF-8" with a byte-order mark; WPS and other
//     systems write UTF-8 without one. A byte-order mark decides; otherwise
//     the file is UTF-8 when all of it is valid UTF-8 and GB18030 (a superset
//     of GBK and GB2312) when not, decoded with golang.org/x/text's
//     simplifiedchinese, the maintained Go implementation. UTF-16 with a
//     byte-order mark ("Unicode 文本") and tab-separated lines are read too.
//   - Old binary .xls, encrypted workbooks and the HTML or XML tables some
//     systems export under an .xls name are refused with a message telling
//     the user to save the file as .xlsx or .csv.
//
// The first non-empty row is the header, except that a leading row with a
// single cell followed by a wider row is a title (“2026年11月医保预警名单”)
// and skipped. Blank rows are skipped but every row keeps the line number
// the user sees in Excel, or the line of the CSV file it starts on, so
// that an error sheet can point back to it.
//
// # Why streaming
//
// A list may hold 100,000 rows. Reading a sheet into [][]string first would
// keep every cell alive at once, and excelize's own model of a sheet costs
// several times more; Reader hands out one row at a time instead, from
// excelize's Rows iterator over the sheet XML (which excelize spills to a
// temporary file once it is large) or from encoding/csv over the decoded
// bytes. What stays in memory is the compressed .xlsx, the shared strings
// (or excelize's index of them once they are large) and one row. Large
// parts of a workbook are checked before excelize sees them, because it
// allocates a part's declared size when it cannot spill it. WriteSheet
// likewise streams through excelize's StreamWriter. The figures are in
// BenchmarkReadXLSX100k; BenchmarkReadXLSX100kGetRows shows the
// alternative.
//
// # Errors
//
// A file that cannot be read is a *FileError and a header that does not fit
// the form a *HeaderError; both carry a Chinese message for the uploader.
// Row values are not checked here: the form engine does that, so the rules
// live in one place.
//
// Like forms, this package must never import anything that knows HTTP or
// SQL: the store and the UI call it.
package sheets
