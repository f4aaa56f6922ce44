/*
 * caret.c — how the shell shows an error that has a position: the input line
 * holding the failing byte, a caret under it, then the message, on stderr:
 *
 *     SELEC 1
 *     ^
 *     Error: line 1:1: syntax error at or near 'SELEC': ...
 *
 * The engine's offset counts bytes from the text given to the execute call;
 * the shell gives it the rest of a buffer that may hold earlier lines of a
 * script, so the "line L:C:" the engine put at the start of its message is
 * rewritten here to the line of the whole input and the column in
 * characters. The caret lines up by characters, not bytes (UTF-8 is decoded;
 * wide characters count two columns when the locale knows them), and tabs in
 * the line are repeated in the caret line so that both expand alike. Control
 * characters and invalid UTF-8 are shown as '?'; a very long line is cut to a
 * window around the caret.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli.h"

enum { WINDOW = 160, BEFORE = 80 }; /* characters shown of a long line */

/* Decodes one UTF-8 character at s[0, n); returns its length, *cp = -1 if invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, long *cp) {
    unsigned c = s[0];
    size_t len;
    long v, min;
    if (c < 0x80) {
        *cp = (long)c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    if (len > n) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return len;
}

/* One character of the line as it is displayed. */
typedef struct cell {
    size_t off, len; /* bytes in the text */
    int width;       /* columns; -1 for a tab */
    bool replace;    /* shown as '?' */
} cell;

static bool parse_position(const char *msg, const char **rest) {
    const char *p = msg;
    if (strncmp(p, "line ", 5) != 0) return false;
    p += 5;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') p++;
    if (*p++ != ':') return false;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') p++;
    if (*p++ != ':') return false;
    while (*p == ' ') p++;
    *rest = p;
    return true;
}

const char *cli_error_strip_position(const char *msg) {
    const char *rest;
    return parse_position(msg, &rest) ? rest : msg;
}

void cli_error_at(const char *text, size_t len, int64_t offset, long first_line, const char *name,
                  const char *msg) {
    const char *rest = msg;
    bool had_pos = parse_position(msg, &rest);
    if (!text || offset < 0) {
        cli_err_printf("Error: %s%s%s\n", name ? name : "", name ? ": " : "", msg);
        return;
    }
    size_t off = (size_t)offset > len ? len : (size_t)offset;
    size_t ls = off, le = off;
    while (ls > 0 && text[ls - 1] != '\n') ls--;
    while (le < len && text[le] != '\n') le++;
    if (le > ls && text[le - 1] == '\r') le--;
    if (off > le) off = le;
    long line = first_line;
    for (size_t i = 0; i < ls; i++)
        if (text[i] == '\n') line++;

    /* Split the line into displayed characters. */
    size_t ncells = 0, caret = 0;
    cell *cells = malloc((le - ls + 1) * sizeof *cells);
    if (!cells) {
        cli_err_printf("Error: %s\n", msg);
        return;
    }
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = ls; i < le;) {
        if (i <= off) caret = ncells;
        long cp;
        size_t n = utf8_next(u + i, le - i, &cp);
        cell c = {i, n, 1, false};
        if (cp == '\t') {
            c.width = -1;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            c.replace = true;
        } else if (cp >= 0x80) {
            int w = wcwidth((wchar_t)cp);
            c.width = w < 0 ? 1 : w;
        }
        cells[ncells++] = c;
        i += n;
    }
    if (off >= le) caret = ncells;

    size_t from = 0, to = ncells;
    if (ncells > WINDOW) {
        from = caret > BEFORE ? caret - BEFORE : 0;
        to = from + WINDOW < ncells ? from + WINDOW : ncells;
    }

    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    if (!f) {
        free(cells);
        cli_err_printf("Error: %s\n", msg);
        return;
    }
    if (from > 0) fputs("...", f);
    for (size_t i = from; i < to; i++) {
        if (cells[i].replace)
            fputc('?', f);
        else
            fwrite(text + cells[i].off, 1, cells[i].len, f);
    }
    if (to < ncells) fputs("...", f);
    fputc('\n', f);
    if (from > 0) fputs("   ", f);
    for (size_t i = from; i < caret && i < to; i++) {
        if (cells[i].width < 0)
            fputc('\t', f);
        else
            for (int k = 0; k < cells[i].width; k++) fputc(' ', f);
    }
    fputs("^\n", f);
    fprintf(f, "Error: %s%sline %ld:%zu: %s\n", name ? name : "", name ? ": " : "", line, caret + 1,
            had_pos ? rest : msg);
    fclose(f);
    cli_err_printf("%s", out);
    free(out);
    free(cells);
}
