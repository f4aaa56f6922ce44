/*
 * test_func_string.c — the string functions of src/func/scalar_string.c
 * and the regex wrapper of src/func/regex.c, against Spark's results:
 * NULLs, empty strings, UTF-8 text, constant and per-row arguments with a
 * selection vector (func_eval.h runs each case several ways), and the
 * split pitfalls of R147–R149, rlike anywhere-matching (R153), concat's
 * NULL rule (R171).
 */
#include "func_eval.h"
#include "func/regex.h"
#include <math.h>
#include <pthread.h>

static void test_case_mapping(void **state) {
    (void)state;
    EQ("ABC", ev("upper", 1, S("abc")));
    EQ("ÉTÉ 日本", ev("upper", 1, S("été 日本")));
    EQ("STRASSE", ev("upper", 1, S("straße")));
    EQ("", ev("upper", 1, S("")));
    EQ("NULL", ev("upper", 1, NS));
    EQ("123", ev("upper", 1, I(123)));
    EQ("école été", ev("lower", 1, S("ÉCOLE Été")));
    EQ("αβγ", ev("lower", 1, S("ΑΒΓ")));
    EQ("abc", ev("lcase", 1, S("ABC")));
    EQ("ABC", ev("ucase", 1, S("abc")));
    EQ("Hello World", ev("initcap", 1, S("hello wORLD")));
    EQ("Élan Vital", ev("initcap", 1, S("élan VITAL")));
    EQ("A  B", ev("initcap", 1, S("a  b")));
    EQ("Hello-world", ev("initcap", 1, S("hello-WORLD")));
    EQ("NULL", ev("initcap", 1, NS));
    EQ("string", ev_type());
}

static void test_lengths(void **state) {
    (void)state;
    EQ("3", ev("length", 1, S("abc")));
    EQ("2", ev("length", 1, S("日本")));
    EQ("1", ev("char_length", 1, S("é")));
    EQ("0", ev("length", 1, S("")));
    EQ("NULL", ev("length", 1, NS));
    EQ("5", ev("length", 1, I(12345)));
    EQ("int", ev_type());
    EQ("20", ev("character_length", 1, S("0123456789日本語abcdefg")));
    EQ("6", ev("octet_length", 1, S("日本")));
    EQ("8", ev("bit_length", 1, S("a")));
}

static void test_concat(void **state) {
    (void)state;
    EQ("abc", ev("concat", 3, S("a"), S("b"), S("c")));
    EQ("NULL", ev("concat", 2, S("a"), NS)); /* R171 */
    EQ("NULL", ev("concat", 2, S("a"), NUL));
    EQ("é1", ev("concat", 2, S("é"), I(1)));
    EQ("", ev("concat", 0));
    EQ("", ev("concat", 2, S(""), S("")));
    EQ("a,b", ev("concat_ws", 4, S(","), S("a"), NS, S("b")));
    EQ("NULL", ev("concat_ws", 2, NS, S("a")));
    EQ("a,b,c", ev("concat_ws", 3, S(","), AS("a", NULL, "b"), S("c")));
    EQ("", ev("concat_ws", 1, S("-")));
    EQ("", ev("concat_ws", 2, S(","), NS));
    EQ("1-2", ev("concat_ws", 3, S("-"), I(1), L(2)));
    EQ("x", ev("concat_ws", 3, S("日本"), AEMPTY(SL_T_STR), S("x")));
    EQ("1 / 2", ev("concat_ws", 2, S(" / "), AI("1", "2")));
    EQ("ERROR: concat: arguments must be all strings or all arrays",
       ev("concat", 2, AS("a"), S("b")));
}

static void test_substring(void **state) {
    (void)state;
    EQ("k SQL", ev("substring", 2, S("Spark SQL"), I(5)));
    EQ("SQL", ev("substring", 2, S("Spark SQL"), I(-3)));
    EQ("k", ev("substring", 3, S("Spark SQL"), I(5), I(1)));
    EQ("Sp", ev("substring", 3, S("Spark"), I(0), I(2)));
    EQ("Sp", ev("substring", 3, S("Spark"), I(1), I(2)));
    EQ("Sp", ev("substr", 3, S("Spark"), I(-10), I(7)));
    EQ("", ev("substr", 3, S("Spark"), I(-10), I(3)));
    EQ("本", ev("substring", 3, S("日本語"), I(2), I(1)));
    EQ("本語", ev("substring", 2, S("日本語"), I(-2)));
    EQ("", ev("substring", 2, S("abc"), I(4)));
    EQ("", ev("substring", 3, S("abc"), I(2), I(-1)));
    EQ("bc", ev("substring", 3, S("abc"), L(2), S("5")));
    EQ("NULL", ev("substring", 2, NS, I(1)));
    EQ("NULL", ev("substring", 2, S("abc"), NI));
    EQ("NULL", ev("substring", 3, S("abc"), I(1), NI));
    EQ("Spa", ev("left", 2, S("Spark"), I(3)));
    EQ("", ev("left", 2, S("Spark"), I(0)));
    EQ("", ev("left", 2, S("Spark"), I(-1)));
    EQ("日本", ev("left", 2, S("日本語"), I(2)));
    EQ("ark", ev("right", 2, S("Spark"), I(3)));
    EQ("Spark", ev("right", 2, S("Spark"), I(10)));
    EQ("", ev("right", 2, S("Spark"), I(0)));
    EQ("語", ev("right", 2, S("日本語"), I(1)));
    EQ("NULL", ev("right", 2, NS, I(1)));
}

static void test_trim(void **state) {
    (void)state;
    EQ("a b", ev("trim", 1, S("  a b  ")));
    EQ("\ta\t", ev("trim", 1, S("\ta\t"))); /* only the space character */
    EQ("", ev("trim", 1, S("   ")));
    EQ("a ", ev("ltrim", 1, S("  a ")));
    EQ("  a", ev("rtrim", 1, S("  a ")));
    EQ("parkSQ", ev("trim", 2, S("SSparkSQLS"), S("SL")));
    EQ("parkSQLS", ev("ltrim", 2, S("SSparkSQLS"), S("SL")));
    EQ("SSparkSQ", ev("rtrim", 2, S("SSparkSQLS"), S("SL")));
    EQ("a", ev("trim", 2, S("ééaé"), S("é")));
    EQ("本", ev("btrim", 2, S("日本日"), S("日x")));
    EQ("abc", ev("trim", 2, S("abc"), S("")));
    EQ("", ev("trim", 2, S("xxx"), S("x")));
    EQ("NULL", ev("trim", 1, NS));
    EQ("NULL", ev("trim", 2, S("a"), NS));
}

static void test_pad_repeat_reverse(void **state) {
    (void)state;
    EQ("???hi", ev("lpad", 3, S("hi"), I(5), S("??")));
    EQ("h", ev("lpad", 3, S("hi"), I(1), S("??")));
    EQ("   hi", ev("lpad", 2, S("hi"), I(5)));
    EQ("hiaba", ev("rpad", 3, S("hi"), I(5), S("ab")));
    EQ("hi   ", ev("rpad", 2, S("hi"), I(5)));
    EQ("üüé", ev("lpad", 3, S("é"), I(3), S("ü")));
    EQ("日本語本", ev("rpad", 3, S("日"), I(4), S("本語")));
    EQ("hi", ev("lpad", 3, S("hi"), I(5), S("")));
    EQ("", ev("lpad", 3, S("hi"), I(-1), S("x")));
    EQ("", ev("rpad", 2, S("hi"), I(0)));
    EQ("NULL", ev("lpad", 3, S("hi"), I(5), NS));
    EQ("ababab", ev("repeat", 2, S("ab"), I(3)));
    EQ("", ev("repeat", 2, S("ab"), I(0)));
    EQ("", ev("repeat", 2, S("ab"), I(-1)));
    EQ("ééé", ev("repeat", 2, S("é"), I(3)));
    EQ("NULL", ev("repeat", 2, NS, I(3)));
    EQ("   ", ev("space", 1, I(3)));
    EQ("", ev("space", 1, I(-3)));
    EQ("LQS krapS", ev("reverse", 1, S("Spark SQL")));
    EQ("語本日", ev("reverse", 1, S("日本語")));
    EQ("", ev("reverse", 1, S("")));
    EQ("[\"c\", NULL, \"a\"]", ev("reverse", 1, AS("a", NULL, "c")));
}

static void test_search(void **state) {
    (void)state;
    EQ("6", ev("instr", 2, S("SparkSQL"), S("SQL")));
    EQ("0", ev("instr", 2, S("abc"), S("x")));
    EQ("1", ev("instr", 2, S("abc"), S("")));
    EQ("3", ev("instr", 2, S("日本語"), S("語")));
    EQ("NULL", ev("instr", 2, NS, S("a")));
    EQ("4", ev("locate", 2, S("bar"), S("foobarbar")));
    EQ("7", ev("locate", 3, S("bar"), S("foobarbar"), I(5)));
    EQ("0", ev("locate", 3, S("bar"), S("foobarbar"), I(0)));
    EQ("0", ev("locate", 3, S("bar"), S("foobarbar"), I(8)));
    EQ("1", ev("locate", 2, S(""), S("abc")));
    EQ("0", ev("locate", 3, S("a"), S("abc"), NI)); /* a NULL position gives 0 */
    EQ("NULL", ev("locate", 2, NS, S("abc")));
    EQ("3", ev("position", 3, S("語"), S("日本語"), I(2)));
    EQ("true", ev("startswith", 2, S("Spark"), S("Sp")));
    EQ("false", ev("startswith", 2, S("Spark"), S("park")));
    EQ("true", ev("endswith", 2, S("Spark"), S("rk")));
    EQ("false", ev("endswith", 2, S("k"), S("rk")));
    EQ("true", ev("contains", 2, S("Spark"), S("ar")));
    EQ("true", ev("contains", 2, S("Spark"), S("")));
    EQ("NULL", ev("contains", 2, S("Spark"), NS));
    EQ("www.apache", ev("substring_index", 3, S("www.apache.org"), S("."), I(2)));
    EQ("apache.org", ev("substring_index", 3, S("www.apache.org"), S("."), I(-2)));
    EQ("", ev("substring_index", 3, S("www.apache.org"), S("."), I(0)));
    EQ("abc", ev("substring_index", 3, S("abc"), S("."), I(1)));
    EQ("a.", ev("substring_index", 3, S("a..b"), S("."), I(2)));
    EQ(".b", ev("substring_index", 3, S("a..b"), S("."), I(-2)));
    EQ("日本", ev("substring_index", 3, S("日本::語"), S("::"), I(1)));
}

static void test_replace_translate(void **state) {
    (void)state;
    EQ("ABCDEF", ev("replace", 3, S("ABCabc"), S("abc"), S("DEF")));
    EQ("ba", ev("replace", 3, S("aaa"), S("aa"), S("b")));
    EQ("ac", ev("replace", 2, S("abc"), S("b")));
    EQ("abc", ev("replace", 3, S("abc"), S(""), S("x")));
    EQ("日x日x", ev("replace", 3, S("日本日本"), S("本"), S("x")));
    EQ("NULL", ev("replace", 3, S("abc"), S("b"), NS));
    EQ("A1B2C3", ev("translate", 3, S("AaBbCc"), S("abc"), S("123")));
    EQ("1def", ev("translate", 3, S("abcdef"), S("abc"), S("1")));
    EQ("ete", ev("translate", 3, S("été"), S("é"), S("e")));
    EQ("xxx", ev("translate", 3, S("aaa"), S("aa"), S("xy")));
    EQ("日a語", ev("translate", 3, S("日本語"), S("本"), S("a")));
    EQ("NULL", ev("translate", 3, NS, S("a"), S("b")));
}

static void test_ascii_chr(void **state) {
    (void)state;
    EQ("50", ev("ascii", 1, S("222")));
    EQ("0", ev("ascii", 1, S("")));
    EQ("233", ev("ascii", 1, S("été")));
    EQ("A", ev("chr", 1, I(65)));
    EQ("A", ev("chr", 1, L(321)));
    EQ("", ev("chr", 1, I(-1)));
    EQ("é", ev("char", 1, I(233)));
    EQ("NULL", ev("chr", 1, NI));
}

/* R147–R149: Java's String.split with limit -1 */
static void test_split(void **state) {
    (void)state;
    EQ("[\"a\", \"b\", \"\", \"\"]", ev("split", 2, S("a,b,,"), S(",")));
    EQ("array<string>", ev_type());
    EQ("[\"\", \"a\"]", ev("split", 2, S(",a"), S(",")));
    EQ("[\"\"]", ev("split", 2, S(""), S(" ")));
    EQ("[\"\", \"\", \"\", \"\"]", ev("split", 2, S("a.b"), S(".")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("a.b"), S("\\.")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("a.b"), S("[.]")));
    EQ("[\"a\", \"|\", \"b\", \"\"]", ev("split", 2, S("a|b"), S("|")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("a|b"), S("\\|")));
    EQ("[\"a\", \"\", \"b\"]", ev("split", 2, S("a  b"), S(" ")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("a  b"), S("\\s+")));
    EQ("[\"\", \"a\", \"b\", \"\"]", ev("split", 2, S(" a b "), S(" ")));
    EQ("[\"a\", \"b\", \"c\"]", ev("split", 2, S("abc"), S("")));
    EQ("[\"日\", \"本\", \"語\"]", ev("split", 2, S("日本語"), S("")));
    EQ("[\"a\", \"bc\"]", ev("split", 3, S("abc"), S(""), I(2)));
    EQ("[\"a\", \"b\", \"c\"]", ev("split", 3, S("abc"), S(""), I(10)));
    EQ("[\"\"]", ev("split", 2, S(""), S("")));
    EQ("[\"a\", \"b,c\"]", ev("split", 3, S("a,b,c"), S(","), I(2)));
    EQ("[\"a,b,c\"]", ev("split", 3, S("a,b,c"), S(","), I(1)));
    EQ("[\"a\", \"b\", \"\", \"\"]", ev("split", 3, S("a,b,,"), S(","), I(0)));
    EQ("[\"a\", \"b\", \"c\"]", ev("split", 3, S("a,b,c"), S(","), I(-5)));
    EQ("[\"a\", \"b\", \"c\", \"\"]", ev("split", 2, S("abc"), S("x*")));
    EQ("[\"日本\", \"語\"]", ev("split", 2, S("日本,語"), S(",")));
    EQ("[\"a\", \"b\", \"c\"]", ev("split", 2, S("a1b22c"), S("\\d+")));
    EQ("[\"a\", \"b\", \"c\"]", ev("split", 2, S("aXbxc"), S("(?i)x")));
    EQ("[\"a\", \"b\", \"c\"]", ev("split", 2, S("a,b;c"), S("[,;]")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("a, b"), S(", ")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("aéb"), S("\\u00e9")));
    EQ("[\"\", \"1\", \"\"]", ev("split", 2, S("a1b"), S("\\p{Alpha}")));
    EQ("[\"a\", \"b\"]", ev("split", 2, S("a1b"), S("[\\p{Digit}]")));
    EQ("[\"a\", \"b\", \"\"]", ev("split", 2, S("a1b2"), S("\\P{Alpha}")));
    EQ("[\"1\", \"2\"]", ev("split", 2, I(102), S("0")));
    /* zero-width matches: none at the very start, one per position after */
    EQ("[\"a\", \"Bc\", \"D\"]", ev("split", 2, S("aBcD"), S("(?=[A-Z])")));
    EQ("[\"A\", \"B\", \"C\"]", ev("split", 2, S("ABC"), S("(?=[A-Z])")));
    EQ("[\"a\", \"b\", \"c\", \"\"]", ev("split", 2, S("abc"), S("|")));
    EQ("[\"a\", \"b\", \"\"]", ev("split", 2, S("a,b,"), S(",|x")));
    EQ("[\"a\", \"b,\"]", ev("split", 3, S("a,b,"), S(",|x"), I(2)));
    EQ("NULL", ev("split", 2, NS, S(",")));
    EQ("NULL", ev("split", 2, S("a"), NS));
    EQ("NULL", ev("split", 3, S("a"), S(","), NI));
    const char *err = ev("split", 2, S("a(b"), S("("));
    assert_non_null(strstr(err, "ERROR: invalid regular expression '('"));
}

/* several rows at once: list offsets, a per-row pattern column (the cache),
 * a selection vector that skips rows */
static void test_split_rows(void **state) {
    (void)state;
    const char *const strs[] = {"a,b", "skip me", "x y  z", "", "p1q22r", NULL, "日,本"};
    const char *const pats[] = {",", "?", " ", ",", "\\d+", ",", ","};
    const uint32_t n = 7;
    sl__vec *c0 = sl__vec_new(SL_T_STR, n), *c1 = sl__vec_new(SL_T_STR, n);
    for (uint32_t i = 0; i < n; i++) {
        if (strs[i])
            sl__vec_set_str_copy(c0, i, strs[i], strlen(strs[i]));
        else
            sl__vec_set_null(c0, i);
        sl__vec_set_str_copy(c1, i, pats[i], strlen(pats[i]));
    }
    sl__vec *cols[2] = {c0, c1};
    const uint32_t sel[] = {0, 2, 3, 4, 5, 6};
    sl__batch b = {2, cols, n, sel, 6};
    const char *want[] = {"[\"a\", \"b\"]",
                          NULL,
                          "[\"x\", \"y\", \"\", \"z\"]",
                          "[\"\"]",
                          "[\"p\", \"q\", \"r\"]",
                          "NULL",
                          "[\"日\", \"本\"]"};
    for (int mode = 0; mode < 2; mode++) {
        sl__err err;
        sl__err_clear(&err);
        sl__expr *args[2] = {sl__expr_colref(0, SL_T_STR),
                             mode ? sl__expr_colref(1, SL_T_STR) : sl__expr_const_str(",", 1)};
        sl__expr *e = sl__fn_bind_call(sl__fn_find("split"), "split", args, 2, 0, "UTC", &err);
        assert_non_null(e);
        sl__ectx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.err = &err;
        for (int round = 0; round < 2; round++) { /* the scratch vector is reused */
            sl__vec *v = sl__expr_eval(e, &ctx, &b);
            assert_false(ctx.failed);
            for (uint32_t k = 0; k < 6; k++) {
                uint32_t r = sel[k];
                sl__buf out = SL_BUF_INIT;
                fe_render(v, r, false, &out);
                if (mode)
                    assert_string_equal(sl__buf_str(&out), want[r]);
                else if (r == 0)
                    assert_string_equal(sl__buf_str(&out), "[\"a\", \"b\"]");
                else if (r == 6)
                    assert_string_equal(sl__buf_str(&out), "[\"日\", \"本\"]");
                sl__buf_free(&out);
            }
        }
        sl__expr_free(e);
    }
    sl__vec_free(c0);
    sl__vec_free(c1);
}

static void test_split_part(void **state) {
    (void)state;
    EQ("13", ev("split_part", 3, S("11.12.13"), S("."), I(3)));
    EQ("13", ev("split_part", 3, S("11.12.13"), S("."), I(-1)));
    EQ("11", ev("split_part", 3, S("11.12.13"), S("."), I(-3)));
    EQ("", ev("split_part", 3, S("11.12.13"), S("."), I(4)));
    EQ("", ev("split_part", 3, S("11.12.13"), S("."), I(-4)));
    EQ("abc", ev("split_part", 3, S("abc"), S(""), I(1)));
    EQ("", ev("split_part", 3, S("a,,b"), S(","), I(2)));
    assert_non_null(
        strstr(ev("split_part", 3, S("a"), S(","), I(0)), "ERROR: split_part: the index 0"));
}

static void test_regexp_replace(void **state) {
    (void)state;
    EQ("num-num", ev("regexp_replace", 3, S("100-200"), S("(\\d+)"), S("num")));
    EQ("200-100", ev("regexp_replace", 3, S("100-200"), S("(\\d+)-(\\d+)"), S("$2-$1")));
    EQ("-a-b-c-", ev("regexp_replace", 3, S("abc"), S("x*"), S("-")));
    EQ("-b--c-", ev("regexp_replace", 3, S("baaac"), S("a*"), S("-")));
    EQ("xxx", ev("regexp_replace", 3, S("a.b"), S("."), S("x")));
    EQ("a$c", ev("regexp_replace", 3, S("abc"), S("b"), S("\\$")));
    EQ("ab2c", ev("regexp_replace", 3, S("abc"), S("(b)"), S("$12")));
    EQ("a[b]c", ev("regexp_replace", 3, S("abc"), S("(?<x>b)"), S("[${x}]")));
    EQ("abc", ev("regexp_replace", 3, S("abc"), S("x"), S("$"))); /* no match, no error */
    assert_non_null(strstr(ev("regexp_replace", 3, S("abc"), S("b"), S("$")),
                           "ERROR: regexp_replace: Illegal group reference"));
    assert_non_null(strstr(ev("regexp_replace", 3, S("abc"), S("(b)"), S("$2")),
                           "ERROR: regexp_replace: No group 2"));
    assert_non_null(strstr(ev("regexp_replace", 3, S("abc"), S("b"), S("x\\")),
                           "ERROR: regexp_replace: character to be escaped is missing"));
    EQ("abb", ev("regexp_replace", 4, S("aaa"), S("a"), S("b"), I(2)));
    EQ("axbc", ev("regexp_replace", 4, S("abc"), S("^"), S("x"), I(2)));
    EQ("abc", ev("regexp_replace", 4, S("abc"), S("x*"), S("-"), I(4)));
    EQ("日x語", ev("regexp_replace", 3, S("日本語"), S("本"), S("x")));
    EQ("ab", ev("regexp_replace", 3, S("a b"), S(" "), S("")));
    EQ("NULL", ev("regexp_replace", 3, NS, S("a"), S("b")));
    EQ("NULL", ev("regexp_replace", 3, S("a"), S("a"), NS));
    assert_non_null(strstr(ev("regexp_replace", 4, S("abc"), S("a"), S("b"), I(0)),
                           "position must be positive"));
}

static void test_regexp_extract(void **state) {
    (void)state;
    EQ("100", ev("regexp_extract", 3, S("100-200"), S("(\\d+)-(\\d+)"), I(1)));
    EQ("200", ev("regexp_extract", 3, S("100-200"), S("(\\d+)-(\\d+)"), I(2)));
    EQ("100-200", ev("regexp_extract", 3, S("100-200"), S("(\\d+)-(\\d+)"), I(0)));
    EQ("100", ev("regexp_extract", 2, S("100-200"), S("(\\d+)-(\\d+)")));
    EQ("", ev("regexp_extract", 3, S("foo"), S("(\\d+)"), I(1)));
    EQ("", ev("regexp_extract", 3, S("ab"), S("(a)|(b)"), I(2)));
    EQ("", ev("regexp_extract", 3, S("foo"), S("(\\d+)"), I(3))); /* no match, no error */
    assert_non_null(strstr(ev("regexp_extract", 3, S("100-200"), S("(\\d+)"), I(2)),
                           "regex group count is 1, but the specified group index is 2"));
    EQ("本", ev("regexp_extract", 3, S("日本語"), S("日(.)語"), I(1)));
    EQ("NULL", ev("regexp_extract", 3, NS, S("a"), I(0)));
    EQ("[\"100\", \"300\"]",
       ev("regexp_extract_all", 3, S("100-200, 300-400"), S("(\\d+)-(\\d+)"), I(1)));
    EQ("[\"200\", \"400\"]",
       ev("regexp_extract_all", 3, S("100-200, 300-400"), S("(\\d+)-(\\d+)"), I(2)));
    EQ("[]", ev("regexp_extract_all", 3, S("abc"), S("x"), I(0)));
    EQ("[\"a\", \"b\"]", ev("regexp_extract_all", 3, S("a1b2"), S("[a-z]"), I(0)));
}

/* R153: RLIKE matches anywhere */
static void test_rlike(void **state) {
    (void)state;
    EQ("true", ev("rlike", 2, S("Spark"), S("ar")));
    EQ("false", ev("rlike", 2, S("Spark"), S("^ar")));
    EQ("true", ev("rlike", 2, S("Spark"), S("^S.*k$")));
    EQ("true", ev("rlike", 2, S(""), S("")));
    EQ("false", ev("rlike", 2, S("abc"), S("x")));
    EQ("true", ev("regexp", 2, S("日本語"), S("本")));
    EQ("true", ev("regexp_like", 2, S("été"), S("^.t.$")));
    EQ("false", ev("rlike", 2, S("a\nb"), S("a.b"))); /* . stops at a line terminator */
    EQ("NULL", ev("rlike", 2, NS, S("a")));
    EQ("NULL", ev("rlike", 2, S("a"), NS));
    EQ("true", ev("rlike", 2, I(123), S("2")));
    assert_non_null(strstr(ev("rlike", 2, S("abc"), S("(")), "ERROR: invalid regular expression"));
    EQ("true", ev("rlike", 2, S("stairs down"), S("stairs")));
    EQ("true", ev("rlike", 2, S("x\xff\xfey"), S("y"))); /* bad UTF-8 subject */
}

/* the regex wrapper directly: literal detection and Matcher.find's stepping */
static void test_regex_api(void **state) {
    (void)state;
    sl__err err;
    sl__err_clear(&err);
    sl__regex *re = sl__regex_compile(" ", 1, &err, -1);
    assert_true(sl__regex_is_literal(re));
    sl__regex_free(re);
    re = sl__regex_compile("\\.", 2, &err, -1);
    assert_true(sl__regex_is_literal(re));
    sl__regex_free(re);
    re = sl__regex_compile("a.", 2, &err, -1);
    assert_false(sl__regex_is_literal(re));
    assert_int_equal(sl__regex_groups(re), 0);
    sl__regex_free(re);
    re = sl__regex_compile("(a)(?<n>b)", 10, &err, -1);
    assert_int_equal(sl__regex_groups(re), 2);
    assert_int_equal(sl__regex_group_named(re, "n", 1), 2);
    assert_int_equal(sl__regex_group_named(re, "zz", 2), -1);
    sl__regex_free(re);
    assert_null(sl__regex_compile("[a", 2, &err, 7));
    assert_int_equal(err.code, SL_ERR_ANALYSIS);
    assert_int_equal(err.offset, 7);

    /* empty matches of x* over "ab": at 0, 1, 2 */
    re = sl__regex_compile("x*", 2, &err, -1);
    sl__rx_iter it;
    sl__rx_iter_init(&it, re, "ab", 2);
    size_t at[8], n = 0;
    while (sl__rx_iter_next(&it, &err) == 1 && n < 8) at[n++] = it.m.ov[0];
    assert_int_equal(n, 3);
    assert_int_equal(at[0], 0);
    assert_int_equal(at[1], 1);
    assert_int_equal(at[2], 2);
    sl__regex_free(re);
    /* empty literal: same stepping, by whole characters */
    re = sl__regex_compile("", 0, &err, -1);
    sl__rx_iter_init(&it, re, "é", 2);
    n = 0;
    while (sl__rx_iter_next(&it, &err) == 1 && n < 8) at[n++] = it.m.ov[0];
    assert_int_equal(n, 2);
    assert_int_equal(at[1], 2);
    sl__regex_free(re);
    /* the per-thread cache returns the same compiled pattern */
    const sl__regex *c1 = sl__regex_cached("a+", 2, &err);
    const sl__regex *c2 = sl__regex_cached("a+", 2, &err);
    assert_ptr_equal(c1, c2);
    assert_null(sl__regex_cached("(", 1, &err));
}

/* format_string / printf: Java's Formatter */
static void test_format_string(void **state) {
    (void)state;
    EQ("Hello World 100 days", ev("format_string", 3, S("Hello World %d %s"), I(100), S("days")));
    EQ("   ab|cd   |", ev("format_string", 3, S("%5s|%-5s|"), S("ab"), S("cd")));
    EQ("  日本|", ev("printf", 2, S("%4s|"), S("日本")));
    EQ("3.14", ev("format_string", 2, S("%.2f"), D(3.14159)));
    EQ("     -3.14", ev("format_string", 2, S("%10.2f"), D(-3.14159)));
    EQ("1,234,567.89", ev("format_string", 2, S("%,.2f"), D(1234567.891)));
    EQ("00042 -0042 +5 (5) 1,234,567",
       ev("format_string", 6, S("%05d %05d %+d %(d %,d"), I(42), I(-42), I(5), L(-5), I(1234567)));
    EQ("ff FFFFFFFF ffffffffffffffff 0xff 10",
       ev("format_string", 6, S("%x %X %x %#x %o"), I(255), I(-1), L(-1), I(255), I(8)));
    EQ("1.234568e+04 0.000100000 1.00000e+10",
       ev("format_string", 4, S("%e %g %g"), D(12345.678), D(0.0001), D(1e10)));
    EQ("null false true true", ev("format_string", 5, S("%s %b %b %b"), NS, NS, S("x"), B(1)));
    EQ("2.0 1.0E7 true", ev("format_string", 4, S("%s %s %s"), D(2.0), D(1e7), B(1)));
    EQ("b a a", ev("format_string", 3, S("%2$s %1$s %<s"), S("a"), S("b")));
    EQ("100% ABC A abc",
       ev("format_string", 4, S("100%% %S %c %.3s"), S("abc"), I(65), S("abcdef")));
    EQ("line\n", ev("format_string", 1, S("line%n")));
    EQ("NaN", ev("format_string", 2, S("%f"), D(NAN)));
    EQ("NULL", ev("format_string", 2, NS, I(1)));
    assert_non_null(strstr(ev("format_string", 2, S("%d"), D(1.5)),
                           "ERROR: format_string: %d cannot format a double"));
    assert_non_null(strstr(ev("format_string", 2, S("%s %s"), S("a")),
                           "ERROR: format_string: missing argument for '%s'"));
    assert_non_null(strstr(ev("format_string", 2, S("%q"), S("a")), "unknown format conversion"));
}

/*
 * Clones of one bound expression share its state (a compiled pattern) and
 * run on several threads; the match data and the per-row pattern cache are
 * per thread. Each thread evaluates its clone many times and checks every
 * row; the threads end, so their per-thread data is released (ASan's leak
 * check covers that).
 */
typedef struct worker {
    sl__expr *e;
    sl__batch *b;
    int bad;
} worker;

static void *run_worker(void *p) {
    worker *w = p;
    sl__err err;
    sl__err_clear(&err);
    sl__ectx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.err = &err;
    for (int it = 0; it < 200; it++) {
        sl__vec *v = sl__expr_eval(w->e, &ctx, w->b);
        if (ctx.failed) {
            w->bad++;
            break;
        }
        for (uint32_t r = 0; r < w->b->n; r++) {
            sl__str s = SL_VEC_DATA(v, sl__str)[r];
            char want[32];
            snprintf(want, sizeof want, "<%u>-<%u>", r, r + 1);
            if (s.len != strlen(want) || memcmp(s.ptr, want, s.len) != 0) w->bad++;
        }
    }
    return NULL;
}

static void test_threads(void **state) {
    (void)state;
    enum { N = 64 };
    sl__vec *c0 = sl__vec_new(SL_T_STR, N), *c1 = sl__vec_new(SL_T_STR, N);
    for (uint32_t r = 0; r < N; r++) {
        char s[32];
        int n = snprintf(s, sizeof s, "%u-%u", r, r + 1);
        sl__vec_set_str_copy(c0, r, s, (size_t)n);
        const char *p = (r % 3 == 0) ? "(\\d+)" : (r % 3 == 1) ? "([0-9]+)" : "(\\d{1,3})";
        sl__vec_set_str_copy(c1, r, p, strlen(p));
    }
    sl__vec *cols[2] = {c0, c1};
    sl__batch b = {2, cols, N, NULL, N};
    for (int per_row = 0; per_row < 2; per_row++) {
        sl__err err;
        sl__err_clear(&err);
        sl__expr *args[3] = {sl__expr_colref(0, SL_T_STR),
                             per_row ? sl__expr_colref(1, SL_T_STR)
                                     : sl__expr_const_str("(\\d+)", 5),
                             sl__expr_const_str("<$1>", 4)};
        sl__expr *e = sl__fn_bind_call(sl__fn_find("regexp_replace"), "regexp_replace", args, 3, 0,
                                       "UTC", &err);
        assert_non_null(e);
        worker w[3];
        pthread_t th[3];
        for (int i = 0; i < 3; i++) {
            w[i] = (worker){sl__expr_clone(e), &b, 0};
            assert_int_equal(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
        }
        for (int i = 0; i < 3; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(w[i].bad, 0);
            sl__expr_free(w[i].e);
        }
        sl__expr_free(e);
    }
    sl__vec_free(c0);
    sl__vec_free(c1);
}

static void test_arg_errors(void **state) {
    (void)state;
    assert_non_null(strstr(ev("upper", 1, AS("a")), "ERROR: upper: argument 1 must be a string"));
    assert_non_null(strstr(ev("substring", 2, S("a"), AS("a")), "argument 2 must be an integer"));
    assert_non_null(strstr(ev("length", 2, S("a"), S("b")), "ERROR: length takes 1 argument"));
}

static int teardown(void **state) {
    (void)state;
    sl__buf_free(&fe_out);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_mapping),   cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_concat),         cmocka_unit_test(test_substring),
        cmocka_unit_test(test_trim),           cmocka_unit_test(test_pad_repeat_reverse),
        cmocka_unit_test(test_search),         cmocka_unit_test(test_replace_translate),
        cmocka_unit_test(test_ascii_chr),      cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_rows),     cmocka_unit_test(test_split_part),
        cmocka_unit_test(test_regexp_replace), cmocka_unit_test(test_regexp_extract),
        cmocka_unit_test(test_rlike),          cmocka_unit_test(test_regex_api),
        cmocka_unit_test(test_format_string),  cmocka_unit_test(test_threads),
        cmocka_unit_test(test_arg_errors),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
