package gopher

import "strings"

// specials are spaCy's English tokenizer special cases: the base
// exceptions of spacy/lang/tokenizer_exceptions.py (single letters with a
// period, emoticons, "C++", ...) and the English ones of
// spacy/lang/en/tokenizer_exceptions.py (contractions with and without
// apostrophe, times such as "5pm", abbreviations), each mapped to the
// tokens it is split into.
var specials = buildSpecials()

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func buildSpecials() map[string][]string {
	exc := map[string][]string{}
	add := func(key string, toks ...string) { exc[key] = toks }
	both := func(w string, f func(o string)) { f(w); f(title(w)) }

	// Base exceptions.
	for _, o := range []string{"'", "\\\")", "''", "C++", "\\t", "\\n"} {
		add(o, o)
	}
	for c := 'a'; c <= 'z'; c++ {
		o := string(c) + "."
		add(o, o)
	}
	for _, o := range []string{"ä.", "ö.", "ü."} {
		add(o, o)
	}
	for _, o := range strings.Fields(emoticons) {
		add(o, o)
	}

	// Pronouns.
	both("i", func(o string) {
		add(o+"'m", o, "'m")
		add(o+"m", o, "m")
		add(o+"'ma", o, "'m", "a")
		add(o+"ma", o, "m", "a")
	})
	for _, p := range []string{"i", "you", "he", "she", "it", "we", "they"} {
		both(p, func(o string) {
			add(o+"'ll", o, "'ll")
			add(o+"ll", o, "ll")
			add(o+"'ll've", o, "'ll", "'ve")
			add(o+"llve", o, "ll", "ve")
			add(o+"'d", o, "'d")
			add(o+"d", o, "d")
			add(o+"'d've", o, "'d", "'ve")
			add(o+"dve", o, "d", "ve")
		})
	}
	for _, p := range []string{"i", "you", "we", "they"} {
		both(p, func(o string) {
			add(o+"'ve", o, "'ve")
			add(o+"ve", o, "ve")
		})
	}
	for _, p := range []string{"you", "we", "they"} {
		both(p, func(o string) {
			add(o+"'re", o, "'re")
			add(o+"re", o, "re")
		})
	}
	for _, p := range []string{"he", "she", "it"} {
		both(p, func(o string) {
			add(o+"'s", o, "'s")
			add(o+"s", o, "s")
		})
	}
	// W-words, relative pronouns, prepositions.
	for _, w := range []string{"who", "what", "when", "where", "why", "how", "there", "that"} {
		both(w, func(o string) {
			add(o+"'s", o, "'s")
			add(o+"s", o, "s")
			add(o+"'ll", o, "'ll")
			add(o+"ll", o, "ll")
			add(o+"'ll've", o, "'ll", "'ve")
			add(o+"llve", o, "ll", "ve")
			add(o+"'re", o, "'re")
			add(o+"re", o, "re")
			add(o+"'ve", o, "'ve")
			add(o+"ve", o, "ve")
			add(o+"'d", o, "'d")
			add(o+"d", o, "d")
			add(o+"'d've", o, "'d", "'ve")
			add(o+"dve", o, "d", "ve")
		})
	}
	// Verbs.
	for _, v := range []string{"ca", "could", "do", "does", "did", "had", "may", "might", "must", "need", "ought", "sha", "should", "wo", "would"} {
		both(v, func(o string) {
			add(o+"n't", o, "n't")
			add(o+"nt", o, "nt")
			add(o+"n't've", o, "n't", "'ve")
			add(o+"ntve", o, "nt", "ve")
		})
	}
	for _, v := range []string{"could", "might", "must", "should", "would"} {
		both(v, func(o string) {
			add(o+"'ve", o, "'ve")
			add(o+"ve", o, "ve")
		})
	}
	for _, v := range []string{"ai", "are", "is", "was", "were", "have", "has", "dare"} {
		both(v, func(o string) {
			add(o+"n't", o, "n't")
			add(o+"nt", o, "nt")
		})
	}
	// Other contractions with a trailing apostrophe.
	for _, w := range []string{"doin", "goin", "nothin", "nuthin", "ol", "somethin"} {
		both(w, func(o string) {
			add(o, o)
			add(o+"'", o+"'")
		})
	}
	// Other contractions with a leading apostrophe.
	for _, w := range []string{"cause", "em", "ll", "nuff"} {
		add(w, w)
		add("'"+w, "'"+w)
	}
	// Times.
	for h := 1; h <= 12; h++ {
		n := itoa(h)
		for _, p := range []string{"a.m.", "am", "p.m.", "pm"} {
			add(n+p, n, p)
		}
	}
	// The rest.
	add("y'all", "y'", "all")
	add("yall", "y", "all")
	add("how'd'y", "how", "'d", "'y")
	add("How'd'y", "How", "'d", "'y")
	add("not've", "not", "'ve")
	add("notve", "not", "ve")
	add("Not've", "Not", "'ve")
	add("Notve", "Not", "ve")
	add("cannot", "can", "not")
	add("Cannot", "Can", "not")
	add("gonna", "gon", "na")
	add("Gonna", "Gon", "na")
	add("gotta", "got", "ta")
	add("Gotta", "Got", "ta")
	add("let's", "let", "'s")
	add("Let's", "Let", "'s")
	for _, o := range strings.Fields(wholeTokens) {
		add(o, o)
	}
	for _, o := range exclude {
		delete(exc, o)
	}
	return exc
}

func itoa(n int) string {
	if n >= 10 {
		return string(rune('0'+n/10)) + string(rune('0'+n%10))
	}
	return string(rune('0' + n))
}

// exclude are the keys spaCy removes again ("ill" is a word, not "i'll").
var exclude = []string{"Ill", "ill", "Its", "its", "Hell", "hell", "Shell", "shell", "Shed", "shed", "were", "Were", "Well", "well", "Whore", "whore"}

// wholeTokens are special cases kept as one token.
const wholeTokens = `'S 's ‘S ‘s and/or w/o 're 'Cause 'cause 'cos 'Cos 'coz 'Coz 'cuz 'Cuz 'bout
ma'am Ma'am o'clock O'clock lovin' Lovin' lovin Lovin havin' Havin' havin Havin
doin' Doin' doin Doin goin' Goin' goin Goin
Mt. Ak. Ala. Apr. Ariz. Ark. Aug. Calif. Colo. Conn. Dec. Del. Feb. Fla. Ga. Ia. Id. Ill. Ind. Jan.
Jul. Jun. Kan. Kans. Ky. La. Mar. Mass. May. Mich. Minn. Miss. N.C. N.D. N.H. N.J. N.M. N.Y. Neb.
Nebr. Nev. Nov. Oct. Okla. Ore. Pa. S.C. Sep. Sept. Tenn. Va. Wash. Wis.
'd a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. Gov. i.e. I.e. I.E. Inc. Jr. Ltd. Md.
Messrs. Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Rep. Rev. Sen. St. vs.`

// emoticons are the base exceptions' emoticons.
const emoticons = `:) :-) :)) :-)) :))) :-))) (: (-: =) (= ") :] :-] [: [-: [= =] :o) (o: :} :-}
8) 8-) (-8 ;) ;-) (; (-; :( :-( :(( :-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/
=| :| :-| ]= =[ :1 :P :-P :p :-p :O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X
:x :-x :D :-D ;D ;-D =D xD XD xDD XDD 8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v
V.V v_v V_V o_o o_O O_o O_O 0_o o_0 0_0 o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3 (^_^)
(-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ) ¯\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>`
