package assessments

import (
	"fmt"
	"testing"
)

// Benchmarks of the pure functions behind every page. `make bench-smoke`
// runs each once in CI; run them properly with
//
//	go test ./assessments -run XXX -bench . -benchmem

func BenchmarkScoreFramework(b *testing.B) {
	_, fw := embeddedLatest(b, KindMaturity)
	agreed := map[string]int{}
	for i, code := range allQuestionCodes(fw) {
		agreed[code] = i%5 + 1
	}
	b.ReportAllocs()
	for b.Loop() {
		if fs := ScoreFramework(fw, agreed); !fs.OverallScored {
			b.Fatal("not scored")
		}
	}
}

func BenchmarkScoreSkills(b *testing.B) {
	_, fw := embeddedLatest(b, KindSkills)
	ratings := map[string]SkillsRating{}
	for i, code := range allQuestionCodes(fw) {
		ratings[code] = SkillsRating{Now: i%4 + 1, Need: 4}
	}
	b.ReportAllocs()
	for b.Loop() {
		scores := ScoreSkills(fw, ratings)
		if len(SkillsPriorities(scores, 3)) == 0 {
			b.Fatal("no priorities")
		}
	}
}

func BenchmarkBenchmarkOf(b *testing.B) {
	scores := make([]float64, 250)
	for i := range scores {
		scores[i] = 1 + float64(i%40)/10
	}
	b.ReportAllocs()
	for b.Loop() {
		if !BenchmarkOf(scores, 5).Shown {
			b.Fatal("not shown")
		}
	}
}

func allQuestionCodes(fw *Framework) []string {
	var codes []string
	for _, s := range fw.Sections {
		for _, q := range s.Questions {
			codes = append(codes, q.Code)
		}
	}
	if len(codes) == 0 {
		panic(fmt.Sprintf("framework %s has no questions", fw.Code))
	}
	return codes
}
