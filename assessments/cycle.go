package assessments

// FrameworkScore is the scoring of one set of agreed levels against a
// framework: one SectionScore per section in framework order, and the
// overall mean of the sections that have a score.
type FrameworkScore struct {
	Sections      []SectionScore
	Overall       float64
	OverallScored bool
}

// ScoreFramework scores agreed levels (question code -> level, with
// NotApplicable for not applicable; questions without an agreed level are
// absent). The results page, submission and the demo data all use it, so
// a number is never worked out two ways.
func ScoreFramework(fw *Framework, agreed map[string]int) FrameworkScore {
	var fs FrameworkScore
	for _, sec := range fw.Sections {
		var levels []int
		for _, q := range sec.Questions {
			if l, ok := agreed[q.Code]; ok {
				levels = append(levels, l)
			}
		}
		fs.Sections = append(fs.Sections, ScoreSection(sec.Code, levels))
	}
	fs.Overall, fs.OverallScored = OverallScore(fs.Sections)
	return fs
}
