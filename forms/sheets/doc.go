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
//     by this package's own reader (see below); excelize, the project's
//     spreadsheet library, writes. Cells are read raw, not as displayed: a
//     number format such as "#,##0" would otherwise round 1234.56 to
//     "1,235" without a word, so dates arrive as serial numbers and Values
//     turns them into dates for date fields (1900 and 1904 date systems).
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
// keep every cell alive at once; Reader hands out one row at a time
// instead, from the sheet's XML as archive/zip inflates it or from
// encoding/csv over the decoded bytes. What stays in memory is the
// compressed .xlsx, the shared strings (their text as one string plus 4
// bytes each, within limits) and one row. Every part of a workbook is checked against limits
// and inflated once before the first row, so that a zip bomb or a damaged
// file is refused before the store imports anything. WriteSheet streams
// through excelize's StreamWriter.
//
// Progress tells how far through the file the reader is, by the bytes it
// has consumed (of the compressed sheet, or of the CSV text), so that an
// import needs no second pass to count the rows for its progress bar.
//
// # Reading .xlsx
//
// excelize's Rows iterator read 10,000–14,000 rows a second and allocated
// 1.7 GB per 100,000-row list, spending 95 % of its time decoding every
// cell through encoding/xml's reflection (DecodeElement). github.com/thedatashed/
// xlsxreader v1.2.8 was only 1.6 times faster (4.2–5.1 s against 7.3–7.8 s
// for the raw rows of the list, 1.37 against 1.60 GB) and reads wrongly:
// the dates of a 1904 workbook four years early, a cell's phonetic reading
// (rPh) instead of its text, rows and cells without an r attribute as row
// 0 and column "", _xHHHH_ escapes undecoded; it refuses a workbook
// without styles and sizes its shared strings by the count the file
// claims. So the sheet and the shared strings are read here with
// encoding/xml's RawToken, by local name, on the rules excelize follows
// with RawCellValue; TestXLSXAgainstExcelize holds the two to the same
// header, rows and line numbers on workbooks from WriteSheet, excelize's
// shared strings, rich text, the 1904 date system and hand-written XML.
// On the 100,000 × 12 list of BenchmarkReadXLSX100k (mapping and Values
// included; 2 shared cores, so ranges), against
// BenchmarkReadXLSX100kExcelize on the same file: 2.8–4.6 s against
// 7.3–8.7 s a list (22,000–35,000 rows a second against 11,500–13,600),
// 0.71 GB allocated against 1.70 GB, a peak heap of 5–7 MB against
// 18–32 MB. What remains is RawToken itself, nine tenths of the time.
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
