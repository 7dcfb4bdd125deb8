package ngram

import "github.com/pemistahl/lingua-go"

// The tables in this file are lingua-go v1.4.0's rule data, copied because
// lingua does not export them: Language.alphabets() and
// Language.uniqueCharacters() (language.go) and charsToLanguagesMapping
// (constant.go). lingua-go is Apache-2.0; TestRuleTablesMatchLingua checks
// them against lingua's behaviour.

// nonLatinScripts lists the scripts of every language not written in lingua.Latin
// script (lingua: Language.alphabets()).
var nonLatinScripts = map[lingua.Language][]int{
	lingua.Belarusian: {scCyrillic}, lingua.Bulgarian: {scCyrillic}, lingua.Kazakh: {scCyrillic},
	lingua.Macedonian: {scCyrillic}, lingua.Mongolian: {scCyrillic}, lingua.Russian: {scCyrillic},
	lingua.Serbian: {scCyrillic}, lingua.Ukrainian: {scCyrillic},
	lingua.Arabic: {scArabic}, lingua.Persian: {scArabic}, lingua.Urdu: {scArabic},
	lingua.Hindi: {scDevanagari}, lingua.Marathi: {scDevanagari},
	lingua.Armenian: {scArmenian}, lingua.Bengali: {scBengali}, lingua.Chinese: {scHan},
	lingua.Georgian: {scGeorgian}, lingua.Greek: {scGreek}, lingua.Gujarati: {scGujarati},
	lingua.Hebrew: {scHebrew}, lingua.Japanese: {scHiragana, scKatakana, scHan},
	lingua.Korean: {scHangul}, lingua.Punjabi: {scGurmukhi}, lingua.Tamil: {scTamil},
	lingua.Telugu: {scTelugu}, lingua.Thai: {scThai},
}

// languageScripts returns the scripts lang is written in.
func languageScripts(lang lingua.Language) []int {
	if s, ok := nonLatinScripts[lang]; ok {
		return s
	}
	return []int{scLatin}
}

// uniqueCharacters is lingua's Language.uniqueCharacters().
var uniqueCharacters = map[lingua.Language]string{
	lingua.Azerbaijani: "Əə",
	lingua.Catalan:     "Ïï",
	lingua.Czech:       "ĚěŘřŮů",
	lingua.Esperanto:   "ĈĉĜĝĤĥĴĵŜŝŬŭ",
	lingua.German:      "ß",
	lingua.Hungarian:   "ŐőŰű",
	lingua.Kazakh:      "ӘәҒғҚқҢңҰұ",
	lingua.Latvian:     "ĢģĶķĻļŅņ",
	lingua.Lithuanian:  "ĖėĮįŲų",
	lingua.Macedonian:  "ЃѓЅѕЌќЏџ",
	lingua.Marathi:     "ळ",
	lingua.Mongolian:   "ӨөҮү",
	lingua.Polish:      "ŁłŃńŚśŹź",
	lingua.Romanian:    "Țţ",
	lingua.Serbian:     "ЂђЋћ",
	lingua.Slovak:      "ĹĺĽľŔŕ",
	lingua.Spanish:     "¿¡",
	lingua.Ukrainian:   "ҐґЄєЇї",
	lingua.Vietnamese:  "ẰằẦầẲẳẨẩẴẵẪẫẮắẤấẠạẶặẬậỀềẺẻỂểẼẽỄễẾếỆệỈỉĨĩỊịƠơỒồỜờỎỏỔổỞởỖỗỠỡỐốỚớỘộỢợƯưỪừỦủỬửŨũỮữỨứỤụỰựỲỳỶỷỸỹỴỵ",
	lingua.Yoruba:      "ŌōṢṣ",
}

// charsToLanguages is lingua's charsToLanguagesMapping.
var charsToLanguages = []struct {
	chars string
	langs []lingua.Language
}{
	{"Ãã", []lingua.Language{lingua.Portuguese, lingua.Vietnamese}},
	{"ĄąĘę", []lingua.Language{lingua.Lithuanian, lingua.Polish}},
	{"Żż", []lingua.Language{lingua.Polish, lingua.Romanian}},
	{"Îî", []lingua.Language{lingua.French, lingua.Romanian}},
	{"Ññ", []lingua.Language{lingua.Basque, lingua.Spanish}},
	{"ŇňŤť", []lingua.Language{lingua.Czech, lingua.Slovak}},
	{"Ăă", []lingua.Language{lingua.Romanian, lingua.Vietnamese}},
	{"İıĞğ", []lingua.Language{lingua.Azerbaijani, lingua.Turkish}},
	{"ЈјЉљЊњ", []lingua.Language{lingua.Macedonian, lingua.Serbian}},
	{"ẸẹỌọ", []lingua.Language{lingua.Vietnamese, lingua.Yoruba}},
	{"ÐðÞþ", []lingua.Language{lingua.Icelandic, lingua.Turkish}},
	{"Ûû", []lingua.Language{lingua.French, lingua.Hungarian}},
	{"Ōō", []lingua.Language{lingua.Maori, lingua.Yoruba}},
	{"ĀāĒēĪī", []lingua.Language{lingua.Latvian, lingua.Maori, lingua.Yoruba}},
	{"Şş", []lingua.Language{lingua.Azerbaijani, lingua.Romanian, lingua.Turkish}},
	{"Ďď", []lingua.Language{lingua.Czech, lingua.Romanian, lingua.Slovak}},
	{"Ćć", []lingua.Language{lingua.Bosnian, lingua.Croatian, lingua.Polish}},
	{"Đđ", []lingua.Language{lingua.Bosnian, lingua.Croatian, lingua.Vietnamese}},
	{"Іі", []lingua.Language{lingua.Belarusian, lingua.Kazakh, lingua.Ukrainian}},
	{"Ìì", []lingua.Language{lingua.Italian, lingua.Vietnamese, lingua.Yoruba}},
	{"Øø", []lingua.Language{lingua.Bokmal, lingua.Danish, lingua.Nynorsk}},
	{"Ūū", []lingua.Language{lingua.Latvian, lingua.Lithuanian, lingua.Maori, lingua.Yoruba}},
	{"Ëë", []lingua.Language{lingua.Afrikaans, lingua.Albanian, lingua.Dutch, lingua.French}},
	{"ÈèÙù", []lingua.Language{lingua.French, lingua.Italian, lingua.Vietnamese, lingua.Yoruba}},
	{"Êê", []lingua.Language{lingua.Afrikaans, lingua.French, lingua.Portuguese, lingua.Vietnamese}},
	{"Õõ", []lingua.Language{lingua.Estonian, lingua.Hungarian, lingua.Portuguese, lingua.Vietnamese}},
	{"Ôô", []lingua.Language{lingua.French, lingua.Portuguese, lingua.Slovak, lingua.Vietnamese}},
	{"ЁёЫыЭэ", []lingua.Language{lingua.Belarusian, lingua.Kazakh, lingua.Mongolian, lingua.Russian}},
	{"ЩщЪъ", []lingua.Language{lingua.Bulgarian, lingua.Kazakh, lingua.Mongolian, lingua.Russian}},
	{"Òò", []lingua.Language{lingua.Catalan, lingua.Italian, lingua.Vietnamese, lingua.Yoruba}},
	{"Ææ", []lingua.Language{lingua.Bokmal, lingua.Danish, lingua.Icelandic, lingua.Nynorsk}},
	{"Åå", []lingua.Language{lingua.Bokmal, lingua.Danish, lingua.Nynorsk, lingua.Swedish}},
	{"Ýý", []lingua.Language{lingua.Czech, lingua.Icelandic, lingua.Slovak, lingua.Turkish, lingua.Vietnamese}},
	{"Ää", []lingua.Language{lingua.Estonian, lingua.Finnish, lingua.German, lingua.Slovak, lingua.Swedish}},
	{"Àà", []lingua.Language{lingua.Catalan, lingua.French, lingua.Italian, lingua.Portuguese, lingua.Vietnamese}},
	{"Ââ", []lingua.Language{lingua.French, lingua.Portuguese, lingua.Romanian, lingua.Turkish, lingua.Vietnamese}},
	{"Üü", []lingua.Language{lingua.Azerbaijani, lingua.Catalan, lingua.Estonian, lingua.German, lingua.Hungarian, lingua.Spanish, lingua.Turkish}},
	{"ČčŠšŽž", []lingua.Language{lingua.Bosnian, lingua.Czech, lingua.Croatian, lingua.Latvian, lingua.Lithuanian, lingua.Slovak, lingua.Slovene}},
	{"Çç", []lingua.Language{lingua.Albanian, lingua.Azerbaijani, lingua.Basque, lingua.Catalan, lingua.French, lingua.Portuguese, lingua.Turkish}},
	{"Öö", []lingua.Language{lingua.Azerbaijani, lingua.Estonian, lingua.Finnish, lingua.German, lingua.Hungarian, lingua.Icelandic, lingua.Swedish, lingua.Turkish}},
	{"Óó", []lingua.Language{lingua.Catalan, lingua.Hungarian, lingua.Icelandic, lingua.Irish, lingua.Polish, lingua.Portuguese, lingua.Slovak, lingua.Spanish, lingua.Vietnamese, lingua.Yoruba}},
	{"ÁáÍíÚú", []lingua.Language{lingua.Catalan, lingua.Czech, lingua.Icelandic, lingua.Irish, lingua.Hungarian, lingua.Portuguese, lingua.Slovak, lingua.Spanish, lingua.Vietnamese, lingua.Yoruba}},
	{"Éé", []lingua.Language{lingua.Catalan, lingua.Czech, lingua.French, lingua.Hungarian, lingua.Icelandic, lingua.Irish, lingua.Italian, lingua.Portuguese, lingua.Slovak, lingua.Spanish, lingua.Vietnamese, lingua.Yoruba}},
}
