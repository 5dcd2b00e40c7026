package server

import "github.com/gwf-project/gwf/summary"

// headlineOf is what a run answers first, at the top of the app and in the
// runs list: summary's Headline, which gwf run's text and the HTML report
// state too.
func headlineOf(out *outcome) summary.Headline { return summary.HeadlineOf(out.res, out.sum) }
