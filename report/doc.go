// Package report presents a run to people: the text summary `gwf run`
// prints, and (as it grows) the HTML report.
package report
