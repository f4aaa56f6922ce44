/*
 * quotes.c — the body of the quotes record (port 10001), the lab's word
 * count source: {"character":"Alceste","quote":"…"}, one line drawn
 * uniformly from the corpus (corpus.c) per record. The text is copied as
 * UTF-8; only JSON's mandatory escapes are applied.
 */
#include "gen.h"

void sl__gen_quotes_record(sl__gen_stream *s, sl__gen_buf *out) {
    const sl__gen_corpus *c = s->p.corpus;
    uint64_t i = sl__gen_rng_below(&s->rng, c->n);
    const sl__gen_quote *q = &c->q[i];
    sl__gen_buf_puts(out, "{\"character\":");
    sl__gen_json_str(out, q->character, q->ncharacter);
    sl__gen_buf_puts(out, ",\"quote\":");
    sl__gen_json_str(out, q->quote, q->nquote);
    sl__gen_buf_puts(out, "}\n");
}
