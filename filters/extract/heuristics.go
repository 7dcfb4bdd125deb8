package extract

// Main-content heuristics, in the spirit of resiliparse's
// extract_plain_text(main_content=True): an element is dropped, with its
// whole subtree, when its tag, ARIA role, hidden state, or the words of its
// class and id say it is navigation, a header or footer, a sidebar, an ad, a
// cookie banner, a share bar, a search box, a modal and so on. Class and id
// values are split into words on white space and into parts on '-' and '_';
// parts are looked up in one table of categories (no regular expressions:
// this runs for every element of every page).

// Categories of class/id words.
const (
	catHidden uint32 = 1 << iota
	catSkipLink
	catSignin
	catPostMeta
	catSocial
	catLogo
	catAds
	catArticle
	catHeader
	catFooter
	catNav
	catRecommended
	catComments
	catSearch
	catSidebar
	catModal
	catGallery
	catPrint
	catLandmark // only computed for id values
)

// catsPart maps one part of a class or id word to its categories.
var catsPart = map[string]uint32{
	// navigation
	"nav": catNav, "navbar": catNav, "navbox": catNav, "navigation": catNav, "navlinks": catNav,
	"navlist": catNav, "navi": catNav, "topnav": catNav, "subnav": catNav, "sidenav": catNav,
	"mainnav": catNav, "menu": catNav, "menus": catNav, "menubar": catNav, "menuitem": catNav,
	"submenu": catNav, "megamenu": catNav, "dropdown": catNav, "breadcrumb": catNav,
	"breadcrumbs": catNav, "crumbs": catNav, "sitemap": catNav, "toolbar": catNav,
	"pagination": catNav | catSkipLink, "pager": catNav | catSkipLink, "linkbar": catNav,
	"linklist": catNav, "catlinks": catNav,
	// footer, legal, cookies
	"footer": catFooter, "copyright": catFooter, "cookie": catFooter, "cookies": catFooter,
	"consent": catFooter, "gdpr": catFooter, "legal": catFooter, "colophon": catFooter,
	"cookiebanner": catFooter,
	// header
	"masthead": catHeader,
	// sidebar
	"sidebar": catSidebar, "sidebars": catSidebar, "sidebox": catSidebar, "sidecolumn": catSidebar,
	"widgets": catSidebar,
	// search
	"search": catSearch, "searchbox": catSearch, "searchbar": catSearch, "searchform": catSearch,
	// modal
	"modal": catModal, "popup": catModal, "lightbox": catModal, "popover": catModal,
	"tooltip": catModal, "overlay": catModal, "newsletter": catModal | catSocial,
	// galleries
	"gallery": catGallery, "carousel": catGallery, "slideshow": catGallery, "slider": catGallery,
	// ads
	"ad": catAds, "ads": catAds, "advert": catAds, "adverts": catAds, "advertisement": catAds,
	"advertising": catAds, "adsbygoogle": catAds, "adsense": catAds, "adslot": catAds,
	"adunit": catAds, "adbox": catAds, "sponsor": catAds, "sponsored": catAds, "sponsors": catAds,
	"promoted": catAds, "banner": catAds, "donate": catAds, "dfp": catAds, "googlead": catAds,
	"googleads": catAds, "adbanner": catAds, "adcontainer": catAds,
	// social, share, feedback
	"social": catSocial, "socialmedia": catSocial, "share": catSocial, "shares": catSocial,
	"sharing": catSocial, "sharedaddy": catSocial, "sharethis": catSocial, "addthis": catSocial,
	"syndication": catSocial, "subscribe": catSocial, "subscription": catSocial,
	"follow": catSocial, "followus": catSocial, "feedback": catSocial, "facebook": catSocial,
	"twitter": catSocial, "whatsapp": catSocial, "pinterest": catSocial, "linkedin": catSocial,
	"likes": catSocial, "like": catSocial,
	// sign-in
	"login": catSignin, "signin": catSignin, "signup": catSignin, "logon": catSignin,
	"account": catSignin, "userinfo": catSignin, "userprofile": catSignin, "usermenu": catSignin,
	// skip links
	"skip": catSkipLink, "skiplink": catSkipLink, "skipto": catSkipLink, "jump": catSkipLink,
	"jumplink": catSkipLink, "next": catSkipLink, "prev": catSkipLink, "previous": catSkipLink,
	"permalink": catSkipLink, "backtotop": catSkipLink, "totop": catSkipLink,
	// recommended content
	"trends": catRecommended, "trending": catRecommended, "recommended": catRecommended,
	"recommendations": catRecommended, "featured": catRecommended, "popular": catRecommended,
	"related": catRecommended, "readnext": catRecommended, "readmore": catRecommended,
	"editorspick": catRecommended, "editorspicks": catRecommended, "morestories": catRecommended,
	"morearticles": catRecommended, "relatedposts": catRecommended, "outbrain": catRecommended,
	"taboola": catRecommended,
	// comments
	"comment": catComments, "comments": catComments, "commentlist": catComments,
	"nocomments": catComments, "reply": catComments, "replies": catComments,
	"disqus": catComments, "respond": catComments,
	// post meta (words that are meta on their own)
	"byline": catPostMeta, "dateline": catPostMeta, "metadata": catPostMeta,
	"submitted": catPostMeta, "postmeta": catPostMeta, "entrymeta": catPostMeta,
	"postinfo": catPostMeta, "posted": catPostMeta, "postedon": catPostMeta,
	// articles (white list)
	"article": catArticle, "articles": catArticle, "entry": catArticle, "post": catArticle,
	"story": catArticle, "maincontent": catArticle, "singlepost": catArticle,
	"articlebody": catArticle, "articlecontent": catArticle, "articletext": catArticle,
	"entrycontent": catArticle, "postcontent": catArticle, "postbody": catArticle,
	"storybody": catArticle, "storycontent": catArticle,
}

// Parts that make a word post meta when they follow an article-like part
// ("post-date", "entry-tags", "article-author").
var postMetaTail = map[string]bool{
	"footer": true, "teaser": true, "meta": true, "metadata": true, "subline": true,
	"sidebar": true, "author": true, "authorname": true, "published": true, "timestamp": true,
	"date": true, "posted": true, "info": true, "label": true, "labels": true, "tag": true,
	"tags": true, "keywords": true, "category": true, "categories": true,
}

// Prefix parts allowed before "header" in a global header class, and before
// a landmark word in an id.
var globalPrefix = map[string]bool{
	"l": true, "m": true, "wp": true, "global": true, "page": true, "site": true, "full": true,
	"sticky": true, "main": true, "top": true, "mw": true,
}

// Words (whole class words) that hide an element.
var hiddenWords = map[string]bool{
	"hidden": true, "invisible": true, "display-none": true, "d-none": true, "is-hidden": true,
	"is-invisible": true, "collapsed": true, "is-collapsed": true, "h-0": true, "nocontent": true,
	"hide": true, "visually-hidden": true, "visuallyhidden": true, "sr-only": true,
	"screen-reader-text": true, "screen-reader-only": true, "element-invisible": true,
	"offscreen": true, "u-hidden": true,
}

// Suffix parts of a global header word ("site-header-wrapper").
var headerSuffix = map[string]bool{"wrap": true, "wrapper": true, "bar": true, "container": true, "inner": true}

// Landmark words of an id ("footer", "global-nav", "mw-head").
var landmarkWords = map[string]bool{
	"header": true, "head": true, "footer": true, "foot": true, "right": true, "nav": true,
	"navigation": true, "sidebar": true, "menu": true, "navbar": true, "topbar": true,
}

// wordScanner splits a lower-cased class or id value into words and parts.
type wordScanner struct {
	parts [][]byte
	join  []byte
}

// classify returns the categories of every word of v (already lower-cased).
// When isID is set, landmark ids are recognised too.
func (ws *wordScanner) classify(v []byte, isID bool) uint32 {
	var cats uint32
	i := 0
	for i < len(v) {
		for i < len(v) && isSpace(v[i]) {
			i++
		}
		j := i
		for j < len(v) && !isSpace(v[j]) {
			j++
		}
		if j > i {
			cats |= ws.word(v[i:j], isID)
		}
		i = j
	}
	return cats
}

// word classifies one word.
func (ws *wordScanner) word(w []byte, isID bool) uint32 {
	var cats uint32
	if hiddenWords[string(w)] {
		cats |= catHidden
	}
	if len(w) > 6 && string(w[:6]) == "print-" || len(w) > 6 && string(w[:6]) == "print_" {
		cats |= catPrint
	}
	ws.parts = ws.parts[:0]
	ws.join = ws.join[:0]
	start := 0
	for k := 0; k <= len(w); k++ {
		if k == len(w) || w[k] == '-' || w[k] == '_' {
			if k > start {
				ws.parts = append(ws.parts, w[start:k])
				ws.join = append(ws.join, w[start:k]...)
			}
			start = k + 1
		}
	}
	if len(ws.parts) == 0 {
		return cats
	}
	articleSeen := false
	for n, p := range ws.parts {
		c := catsPart[string(p)]
		if len(p) >= 4 && string(p[len(p)-4:]) == "logo" {
			c |= catLogo // "logo", "sitelogo", "brand_logo"
		}
		if len(p) > 3 && string(p[:3]) == "nav" {
			c |= catNav // "navmenu", "navwrap"
		}
		if articleSeen && postMetaTail[string(p)] {
			c |= catPostMeta
		}
		if c&catArticle != 0 || string(p) == "content" || string(p) == "section" {
			articleSeen = true
		}
		if string(p) == "header" && n > 0 && globalPrefix[string(ws.parts[n-1])] {
			if n+1 == len(ws.parts) || headerSuffix[string(ws.parts[n+1])] {
				c |= catHeader
			}
		}
		cats |= c
	}
	if len(ws.parts) > 1 {
		cats |= catsPart[string(ws.join)] &^ catArticle
		if catsPart[string(ws.join)]&catArticle != 0 && len(ws.parts) == 2 {
			// "main-content", "single-post", "article-body"
			cats |= catArticle
		}
	} else if string(w) == "header" || string(w) == "masthead" {
		cats |= catHeader
	}
	if isID {
		last := ws.parts[len(ws.parts)-1]
		if landmarkWords[string(last)] {
			ok := true
			for _, p := range ws.parts[:len(ws.parts)-1] {
				if !globalPrefix[string(p)] {
					ok = false
					break
				}
			}
			if ok {
				cats |= catLandmark
			}
		}
	}
	return cats
}

// ARIA roles whose elements are not main content.
var badRoles = map[string]bool{
	"alert": true, "banner": true, "checkbox": true, "complementary": true, "contentinfo": true,
	"dialog": true, "menu": true, "menubar": true, "menuitem": true, "navigation": true,
	"radio": true, "search": true, "searchbox": true, "separator": true, "tab": true,
	"tablist": true, "toolbar": true, "tooltip": true, "alertdialog": true,
}

// rel values of links that are not content.
var badRels = map[string]bool{"author": true, "icon": true, "search": true, "prev": true, "next": true, "tag": true}

// itemprop values that are page metadata rather than content.
var badItemprops = map[string]bool{"datepublished": true, "datemodified": true, "author": true, "url": true}
