// Package calendar maps the engine's weeks to dates and back. Week w of a
// run starts 7w days after the run's start date (a Monday in the
// reference) and belongs to the calendar quarter and year of its first
// day. Every date gwf prints for a week comes from here, so the text, the
// JSON, the tables and the web app agree on it.
package calendar
