// Package bench holds the end-to-end and hot-path benchmarks that report
// rates (events/s, rows/s) through testing.B.ReportMetric. They live outside
// core/ because ReportMetric takes a float64, and core/ has none.
package bench
