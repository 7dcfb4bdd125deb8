// Package urlfilter holds the URL steps of the DCLM-Baseline recipe:
//
//   - url_substring_filter removes documents whose URL is on a domain list
//     or contains banned strings (RefinedWeb's reverse-engineered word
//     lists, LDNOOBW), with the exact semantics of DCLM's filter of the same
//     name: Python's lower-casing, retrie's trie regex (leftmost, longest,
//     non-overlapping matches, optionally between Unicode word boundaries),
//     distinct matches counted, urllib's netloc for exact domain matches.
//     DCLM's quirks are the defaults; parameters turn the fixes on.
//   - url_removal_modifier strips URLs from the text (strip.go).
//
// The word lists and the IANA TLD list DCLM ships are embedded (data/), so a
// recipe that names them by DCLM's file names works without the files. The
// curated RefinedWeb domain list is not public in DCLM's repository; a
// recipe points banlist_from_fname at whatever domain list its user has.
package urlfilter
