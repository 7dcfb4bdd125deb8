package extract

import "golang.org/x/net/html/atom"

// Tag properties.
const (
	tBlock   uint16 = 1 << iota // ends and starts a line
	tPara                       // p and headings: a blank line before and after
	tClosesP                    // a start tag that closes an open <p>
	tVoid                       // never has an end tag
	tRaw                        // the tokenizer returns its content as one text token
	tHeadOK                     // may appear in <head> without closing it
	tSkip                       // never extracted
	tForm                       // form control: extracted only with form_fields
)

var tagProps = map[atom.Atom]uint16{}

func init() {
	set := func(p uint16, as ...atom.Atom) {
		for _, a := range as {
			tagProps[a] |= p
		}
	}
	set(tBlock, atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Dd,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Dt, atom.Fieldset,
		atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr, atom.Legend, atom.Li, atom.Listing,
		atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Summary,
		atom.Table, atom.Caption, atom.Tr, atom.Ul, atom.Option, atom.Frameset, atom.Xmp,
		atom.Plaintext, atom.Optgroup, atom.Search)
	set(tPara, atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6)
	set(tClosesP, atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5,
		atom.H6, atom.Header, atom.Hgroup, atom.Hr, atom.Main, atom.Menu, atom.Nav, atom.Ol,
		atom.P, atom.Pre, atom.Section, atom.Summary, atom.Table, atom.Ul, atom.Li, atom.Dd,
		atom.Dt, atom.Listing, atom.Plaintext, atom.Xmp, atom.Search)
	set(tVoid, atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track,
		atom.Wbr, atom.Basefont, atom.Bgsound, atom.Frame, atom.Image)
	set(tRaw, atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp, atom.Iframe,
		atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext)
	set(tHeadOK, atom.Title, atom.Meta, atom.Link, atom.Style, atom.Script, atom.Base,
		atom.Noscript, atom.Template, atom.Basefont, atom.Bgsound)
	set(tSkip, atom.Head, atom.Template, atom.Svg, atom.Math, atom.Frameset, atom.Applet,
		atom.Object, atom.Embed, atom.Video, atom.Audio, atom.Canvas, atom.Datalist, atom.Map)
	set(tForm, atom.Select, atom.Option, atom.Optgroup, atom.Button, atom.Label, atom.Input,
		atom.Textarea)
}

// isBlock reports whether a is a block element.
func isBlock(a atom.Atom) bool { return tagProps[a]&tBlock != 0 }
