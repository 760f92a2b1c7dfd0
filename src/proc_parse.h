/* proc_parse.h -- parsers of /proc text: pure functions of the bytes they are given
 * (no I/O, no terminating NUL needed, never a read outside [text, text + length)), so
 * that they can be fuzzed. memory_figures_linux.cpp feeds them the real files. */
#ifndef ZM_PROC_PARSE_H
#define ZM_PROC_PARSE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The rss field (the 24th) of a /proc/<pid>/stat line, in pages, into *pages.
 * The process name (2nd field) is in parentheses and may itself hold spaces and
 * parentheses, so fields are counted from the last ')' of the text; after it, fields
 * are separated by runs of spaces. rss must be decimal digits (no sign) that fit in a
 * long long, ended by a space, a newline or the end of the text.
 * Returns 1 on success, 0 (and *pages untouched) if the text has no such field. */
int zm_parse_stat_rss_pages(const char *text, size_t length, long long *pages);

/* The sum, in bytes, of the lines of smaps text of the form
 *   <field><spaces or tabs><decimal digits><spaces or tabs>kB
 * where field is the first field_length bytes of field (e.g. "Private_Dirty:").
 * Lines end at '\n' (the last may have none); a line of any other form adds nothing.
 * The sum saturates at SIZE_MAX instead of wrapping. */
size_t zm_parse_smaps_field_bytes(const char *text, size_t length, const char *field,
                                  size_t field_length);

#ifdef __cplusplus
}
#endif

#endif
