package tally

import (
	"reflect"
	"testing"
)

func TestNormalizeWord(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case and spaces", "  Air   BERSIH ", "air bersih"},
		{"punctuation at ends only", "«Jalan-jalan!»", "jalan-jalan"},
		{"NFC", "Cafe\u0301", "café"},
		{"NFC composed stays", "café", "café"},
		{"no-break space and tab", "taman\u00a0\tkota", "taman kota"},
		{"zero-width space dropped", "ban\u200bjir", "banjir"},
		{"invalid UTF-8 dropped", "air\xff", "air"},
		{"only punctuation", "?!...", ""},
		{"emoji kept", "🌳 taman", "🌳 taman"},
		{"english", "Clean Water.", "clean water"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeWord(tt.in); got != tt.want {
				t.Errorf("NormalizeWord(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWordCloud(t *testing.T) {
	answers := []string{"Banjir", "banjir!", "  BANJIR ", "Jalan rusak", "jalan  rusak", "Sampah", "", "..."}
	got := WordCloud(answers, WordOptions{})
	want := []WordCount{{"banjir", 3}, {"jalan rusak", 2}, {"sampah", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WordCloud = %v, want %v", got, want)
	}
	if top := WordCloud(answers, WordOptions{Top: 2}); !reflect.DeepEqual(top, want[:2]) {
		t.Errorf("Top 2 = %v", top)
	}
	split := WordCloud([]string{"Jalan yang rusak di desa", "jalan rusak, banjir", "The road and the bridge"},
		WordOptions{Split: true, StopWords: append(StopWords("id"), StopWords("en")...)})
	wantSplit := []WordCount{{"jalan", 2}, {"rusak", 2}, {"banjir", 1}, {"bridge", 1}, {"desa", 1}, {"road", 1}}
	if !reflect.DeepEqual(split, wantSplit) {
		t.Errorf("split = %v, want %v", split, wantSplit)
	}
	if StopWords("fr") != nil || len(StopWords("id")) == 0 {
		t.Error("StopWords")
	}
	if got := WordCloud(nil, WordOptions{}); got == nil || len(got) != 0 {
		t.Errorf("empty cloud = %#v, want empty non-nil", got)
	}
}
