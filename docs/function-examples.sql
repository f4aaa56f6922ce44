-- function-examples.sql — the examples of docs/functions.md: at least one
-- small runnable query per SQL function, chosen to show what Spark 3.5 (ANSI
-- mode off) answers, NULL handling and quirks included. tests/harness/fndoc.c
-- runs every example and writes docs/functions.md with sluice's results;
-- tests/harness/fndoc.sh fails when a function of the registry or of SHOW
-- FUNCTIONS has no example here, when an example fails, or when the committed
-- docs/functions.md is stale. Regenerate it with
--     build/debug/tests/fndoc docs/function-examples.sql > docs/functions.md
-- and read the diff: a changed result is a behaviour change.
--
-- Format (line-oriented; lines before the first @category are this header):
--   -- @category KEY Title   a section of the document; plain comment lines
--                            right after it are its introduction (markdown)
--   -- @function NAME ...    one entry; several names (operators, aliases)
--                            share one section; every name gets an anchor
--   -- @usage TEXT           only for names the registry does not describe
--   -- @about TEXT           (binder syntax: if, coalesce, explode, ...); the
--                            k-th such name takes the k-th @usage and @about
--                            line, or the last one
--   -- @error                the next statement must fail; the document shows
--                            its error message
--   -- any other comment     a note printed above the next statement
--   SQL ...;                 an example: one statement, its last line ending
--                            with ';'. Each entry runs in a fresh session, so a
--                            SET applies to the entry's later examples only
--                            (the document leaves out what SET prints).
-- Expected results are Spark's: when sluice's result differs, the note says
-- what Spark gives and why (or the difference is a bug to fix).

-- @category operators Operators
-- Arithmetic follows Spark with ANSI mode off: integers wrap on overflow,
-- division by zero gives NULL, `/` always gives DOUBLE. Comparisons with NULL
-- give NULL; NaN equals NaN and is larger than any other number. Strings
-- next to numbers are cast as Spark casts them (R172).

-- @function +
SELECT 1 + 2, 1 + NULL, 2147483647 + 1;
-- a string in arithmetic becomes a DOUBLE
SELECT '1.5' + 1;
SELECT TIMESTAMP '2024-01-01 23:30:00' + INTERVAL 90 MINUTES;
-- DATE + n adds days
SELECT DATE '2024-02-28' + 1;

-- @function -
SELECT 5 - 7, -2147483648 - 1;
SELECT TIMESTAMP '2024-01-01 12:00:00' - TIMESTAMP '2024-01-01 10:30:00';
SELECT TIMESTAMP '2024-03-01 00:00:00' - INTERVAL 1 DAY;
SELECT DATE '2024-03-01' - 1;

-- @function *
SELECT 6 * 7, 2.5 * 2, NULL * 3;
-- INT * INT is INT: 2^32 wraps to 0
SELECT 65536 * 65536, 65536L * 65536;

-- @function /
-- always DOUBLE, even for integers
SELECT 5 / 2, 4 / 2, typeof(4 / 2);
-- a zero divisor gives NULL, for doubles too
SELECT 1 / 0, 1.0 / 0.0, -1 / 0.0;

-- @function % mod
-- the sign of the dividend
SELECT 7 % 3, -7 % 3, 7 % -3, 7 % 0;
SELECT 7.5 % 2;
SELECT mod(-7, 3);

-- @function div
-- integer division truncates toward zero; the result is BIGINT
SELECT 7 div 2, -7 div 2, 7 div 0;

-- @function negative positive
SELECT -(5), -(-5), +(5);
-- the negation of the smallest INT wraps to itself
SELECT -x FROM VALUES (-2147483648) AS t(x);
SELECT negative(3), positive(-3);

-- @function = ==
SELECT 1 = 1, 1 = 1.0, 1 = NULL, NULL = NULL;
-- a string compared with a number is cast to the number's type
SELECT '10' = 10, '1.5' = 1, 'abc' = 1;
-- NaN equals NaN (Spark's rule, unlike IEEE)
SELECT CAST('NaN' AS DOUBLE) == CAST('NaN' AS DOUBLE);

-- @function != <>
SELECT 1 != 2, 1 <> 1, 1 != NULL;

-- @function < <= > >=
SELECT 1 < 2, 2 <= 2, 'b' > 'a', 'B' > 'a';
SELECT DATE '2024-01-01' < TIMESTAMP '2024-01-01 00:00:01';
-- NaN is larger than any other number, infinity included
SELECT CAST('NaN' AS DOUBLE) > CAST('Infinity' AS DOUBLE);

-- @function <=>
-- null-safe equality: never NULL
SELECT 1 <=> 1, 1 <=> NULL, NULL <=> NULL;

-- @function not !
SELECT NOT true, NOT NULL, !false;

-- @function & | ^ ~
SELECT 12 & 10, 12 | 10, 12 ^ 10, ~0, ~5;

-- @function in
SELECT 2 IN (1, 2, 3), 4 NOT IN (1, 2, 3);
-- NULL when nothing matched and the list holds a NULL
SELECT 4 IN (1, 2, NULL), 1 IN (1, NULL), NULL IN (1);

-- @function like
-- % is any sequence, _ one character, the whole string must match
SELECT 'Spark' LIKE 'S%k', 'Spark' LIKE 's%', 'Spark' LIKE 'Spar_';
-- backslash escapes % and _ (written '\\' in a literal)
SELECT '100%' LIKE '100\\%', '100x' LIKE '100\\%';
SELECT 'a%b' LIKE 'a#%b' ESCAPE '#';

-- @function ilike
SELECT 'Spark' ILIKE 'sPaRk', 'Spark' ILIKE 's%';
-- sluice folds ASCII letters only; Spark lower-cases Unicode and gives true
SELECT 'É' ILIKE 'é';

-- @function rlike regexp regexp_like
-- a Java regular expression that matches anywhere in the string
SELECT 'sluice 2024' RLIKE '\\d+', 'abc' RLIKE '^b', 'abc' REGEXP 'b';
SELECT regexp_like('abc', '^a.c$');
-- Spark 3.2+ also has the function form regexp(str, regex); sluice's parser
-- reads REGEXP only as an operator (a bug)
-- @error
SELECT regexp('abc', 'b');

-- @function isnull isnotnull
SELECT isnull(NULL), isnull(0), isnotnull('');

-- @function isnan
SELECT isnan(CAST('NaN' AS DOUBLE)), isnan(1.0), isnan(NULL);

-- @function get_item
-- arrays are 0-based with [ ]; out of range gives NULL
SELECT array(10, 20, 30)[0], array(10, 20)[5], array(10, 20)[-1];
SELECT named_struct('a', 1, 'b', 'x')['b'], named_struct('a', 1, 'b', 'x').b;

-- @category conditional Conditional functions
-- These are part of the binder, which evaluates their branches lazily: a
-- branch runs only on the rows that reach it. `CASE WHEN` is in
-- [sql.md](sql.md#expressions).

-- @function coalesce
-- @usage coalesce(a, b, ...)
-- @about The first non-NULL argument; NULL when all are NULL. The arguments take their common type.
SELECT coalesce(NULL, 1, 2), coalesce(NULL, NULL);
SELECT coalesce(NULL, 1, 2.5);

-- @function if iff
-- @usage if(cond, then, else)
-- @usage iff(cond, then, else)
-- @about then where cond is TRUE, else where it is FALSE or NULL.
-- @about Same as if.
SELECT if(1 < 2, 'yes', 'no'), if(NULL, 'yes', 'no');
SELECT iff(2 > 3, 1, 0);

-- @function ifnull nvl
-- @usage ifnull(a, b)
-- @usage nvl(a, b)
-- @about Same as nvl.
-- @about a unless it is NULL, then b.
SELECT nvl(NULL, 'default'), nvl('value', 'default');
SELECT ifnull(NULL, 0);

-- @function nvl2
-- @usage nvl2(a, b, c)
-- @about b when a is not NULL, else c.
SELECT nvl2(NULL, 'set', 'unset'), nvl2(0, 'set', 'unset');

-- @function nullif
-- @usage nullif(a, b)
-- @about NULL when a = b, else a.
SELECT nullif(1, 1), nullif(1, 2), nullif(NULL, 1);

-- @function greatest
-- NULL arguments are skipped
SELECT greatest(1, 5, 3), greatest(1, NULL, 3), greatest('apple', 'banana');
SELECT greatest(1, 2.5);

-- @function least
SELECT least(4, 2, 8), least(NULL, 7), least(DATE '2024-05-01', DATE '2023-12-31');

-- @function assert_true
SELECT assert_true(1 < 2);
-- @error
SELECT assert_true(x > 0) FROM VALUES (1), (-1) AS t(x);
-- @error
SELECT assert_true(false, 'x must be positive');

-- @function raise_error
SELECT if(x > 0, x, raise_error('negative x')) FROM VALUES (3) AS t(x);
-- @error
SELECT if(x > 0, x, raise_error('negative x')) FROM VALUES (3), (-3) AS t(x);

-- @function typeof
SELECT typeof(1), typeof(1L), typeof(1S), typeof('a'), typeof(true);
SELECT typeof(array(1, 2));
SELECT typeof(named_struct('a', 1, 'b', 'x'));
-- Spark: decimal(2,1); sluice reads 1.5 as a DOUBLE (sql-differences.md)
SELECT typeof(1.5);
-- Spark names the type of a bare NULL void
SELECT typeof(NULL);

-- @category math Mathematical functions
-- The results are DOUBLE unless a line says otherwise. sluice reads `2.5`
-- as a DOUBLE where Spark reads a DECIMAL, so the examples write `2.5D`
-- where that changes what Spark prints.

-- @function abs
SELECT abs(-5), abs(-1.5D), abs(NULL);
-- the smallest INT has no positive counterpart: it stays as it is
SELECT abs(-2147483648);

-- @function atan
SELECT atan(1), atan(0);

-- @function bround
-- half to even ("banker's rounding")
SELECT bround(2.5D), bround(3.5D), bround(-2.5D);
SELECT bround(1.245D, 2), bround(125, -1);

-- @function ceil ceiling
-- BIGINT for DOUBLE input
SELECT ceil(1.2D), ceil(-1.2D), ceil(5), typeof(ceil(1.2D));
SELECT ceiling(-0.5D);

-- @function floor
SELECT floor(2.9D), floor(-1.5D), floor(7);

-- @function cos
SELECT cos(0), cos(pi());

-- @function sin
SELECT sin(0), sin(pi() / 2);

-- @function tan
SELECT tan(0), tan(pi() / 4);

-- @function e
SELECT e();

-- @function pi
SELECT pi();

-- @function exp
SELECT exp(0), exp(1);

-- @function ln
-- NULL for zero and negative numbers
SELECT ln(1), ln(e()), ln(0), ln(-1);

-- @function log
-- one argument: natural logarithm; two: log(base, x)
SELECT log(e()), log(2, 8), log(10, 1000);

-- @function log10
SELECT log10(1000), log10(0.01D), log10(0);

-- @function log2
SELECT log2(8), log2(-1);
-- Spark computes ln(x) / ln(2): 3.3219280948873626
SELECT log2(10);

-- @function pmod
SELECT pmod(7, 3), pmod(-7, 3), pmod(7, 0);
-- with a negative divisor the result is not positive: Spark computes
-- ((a % n) + n) % n when a % n < 0
SELECT pmod(7, -3), pmod(-7, -3);

-- @function pow power
SELECT pow(2, 10), pow(2, -1), pow(-8, 1 / 3);
SELECT power(10, 2);

-- @function round
-- half up (away from zero), of the shortest decimal text of the double
SELECT round(2.5D), round(-2.5D), round(2.675D, 2);
SELECT round(1234.567D, -2), round(1234, -2), round(15, -1);

-- @function sign signum
SELECT sign(-3.5D), sign(0), signum(7);

-- @function sqrt
SELECT sqrt(16), sqrt(2), sqrt(-1);

-- @category string String functions
-- Positions and lengths count characters (code points of UTF-8 text), from
-- 1. NULL in gives NULL out, except where said. Numbers, booleans, dates and
-- timestamps are cast to text where a string is expected.

-- @function ascii
SELECT ascii('A'), ascii('abc'), ascii(''), ascii('é');

-- @function bit_length
SELECT bit_length('abc'), bit_length('é');

-- @function octet_length
SELECT octet_length('abc'), octet_length('é');

-- @function length char_length character_length len
-- characters, not bytes; trailing spaces count
SELECT length('Spark SQL '), length('été'), length(NULL);
SELECT char_length('abc'), character_length('abc'), len('abc');

-- @function chr char
SELECT chr(65), char(97);
-- n is taken modulo 256; negative n gives ''
SELECT chr(321), chr(-1);

-- @function concat
SELECT concat('Spark', ' ', 'SQL');
-- NULL if any argument is NULL
SELECT concat('a', NULL);
SELECT concat(1, true, DATE '2024-01-01');
SELECT concat(array(1, 2), array(3));
SELECT 'a' || 'b' || 1;

-- @function concat_ws
-- NULLs are skipped; arrays of strings are spread
SELECT concat_ws('-', 'a', NULL, 'b');
SELECT concat_ws(', ', array('x', 'y'), 'z');
SELECT concat_ws(NULL, 'a', 'b');

-- @function contains
SELECT contains('Spark SQL', 'SQL'), contains('Spark', ''), contains(NULL, 'a');

-- @function startswith
SELECT startswith('Spark', 'Sp'), startswith('Spark', 'sp');

-- @function endswith
SELECT endswith('Spark', 'rk'), endswith('Spark', '');

-- @function format_string printf
SELECT format_string('%s has %d items', 'cart', 3);
SELECT format_string('[%05.1f|%-4s|%x|%,d]', 3.14159, 'ab', 255, 1234567);
SELECT printf('%2$s %1$s', 'world', 'hello');

-- @function initcap
-- lower case, then each word's first letter in upper case; words are split at spaces only
SELECT initcap('sPARK sql'), initcap('jean-luc picard');

-- @function instr
SELECT instr('SparkSQL', 'SQL'), instr('abc', 'z'), instr('abc', '');

-- @function locate position
SELECT locate('b', 'abcabc'), locate('b', 'abcabc', 3), locate('z', 'abc');
-- a start position below 1 (or NULL) finds nothing
SELECT locate('b', 'abc', 0), locate('b', 'abc', NULL);
SELECT position('SQL', 'Spark SQL');
-- Spark also accepts POSITION(substr IN str); sluice's parser does not (a bug)
-- @error
SELECT position('b' IN 'abc');

-- @function lower lcase
SELECT lower('SpArK'), lcase('ÉTÉ');

-- @function upper ucase
SELECT upper('Spark'), ucase('été');
-- ß becomes SS, as in Java
SELECT upper('straße');

-- @function left
SELECT left('Spark SQL', 5), left('abc', 0), left('abc', 10);

-- @function right
SELECT right('Spark SQL', 3), right('abc', -1);

-- @function lpad
SELECT lpad('hi', 5, 'ab'), lpad('7', 3, '0');
SELECT lpad('hi', 5);
-- a longer string is cut to len; an empty pad adds nothing
SELECT lpad('hello', 3), lpad('hi', 5, '');

-- @function rpad
SELECT rpad('hi', 5, 'ab'), rpad('hello', 3);
SELECT rpad('hi', 5);

-- @function trim btrim
SELECT trim('  Spark  '), btrim('  Spark  ');
SELECT TRIM(BOTH 'x' FROM 'xxhixx');
SELECT btrim('SSparkSQLS', 'SL');
-- sluice reads trim(a, b) as "trim the characters of b from a". Spark's
-- deprecated two-argument form is trim(trimStr, str) and gives '' here:
-- write TRIM(BOTH 'x' FROM 'xxhixx') to mean the same in both.
SELECT trim('xxhixx', 'x');

-- @function ltrim
SELECT ltrim('  Spark  ');
SELECT TRIM(LEADING 'x' FROM 'xxhixx');
-- as for trim, Spark reads ltrim(a, b) as ltrim(trimStr, str) ('' here)
SELECT ltrim('xxhixx', 'x');

-- @function rtrim
SELECT rtrim('  Spark  ');
SELECT TRIM(TRAILING 'x' FROM 'xxhixx');
-- as for trim, Spark reads rtrim(a, b) as rtrim(trimStr, str) ('' here)
SELECT rtrim('xxhixx', 'x');

-- @function repeat
SELECT repeat('ab', 3), repeat('x', 0), repeat('x', -1);

-- @function space
SELECT concat('[', space(3), ']'), space(-1);

-- @function replace
SELECT replace('a.b.c', '.', '/'), replace('abcabc', 'b');
-- an empty search string replaces nothing
SELECT replace('abc', '', 'x');

-- @function reverse
SELECT reverse('Spark'), reverse('Ça va');
SELECT reverse(array(1, 2, 3));

-- @function split_part
SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', 5);
-- the delimiter is plain text, not a regex
SELECT split_part('a.b.c', '.', 2);
-- part 0 is an error in Spark
-- @error
SELECT split_part('a,b,c', ',', 0);

-- @function substring substr
SELECT substring('Spark SQL', 7), substring('Spark SQL', -3), substring('Spark SQL', 1, 5);
-- position 0 acts as 1; a start before the string shortens the result
SELECT substr('Spark SQL', 0, 3), substr('abc', -5, 3), substr('abc', 5);
SELECT SUBSTRING('Spark SQL' FROM 7 FOR 3);

-- @function substring_index
SELECT substring_index('www.apache.org', '.', 2), substring_index('www.apache.org', '.', -2);
SELECT substring_index('www.apache.org', '.', 0);

-- @function translate
-- characters of from without a counterpart in to are removed
SELECT translate('AaBbCc', 'abc', '12');

-- @category regex Regular expressions
-- Patterns are Java regular expressions (sluice runs them on PCRE2 with
-- Java's semantics; see [functions-notes.md](functions-notes.md)). In SQL
-- literals a backslash is written twice: `'\\d'` is the regex `\d`.

-- @function regexp_extract
SELECT regexp_extract('2024-05-17', '(\\d+)-(\\d+)', 2);
-- no match, or a group that did not take part, gives ''
SELECT regexp_extract('abc', '(\\d+)', 1), regexp_extract('abc', '(x)?b', 1);
-- index 0 is the whole match
SELECT regexp_extract('order 66 shipped', '[a-z]+ (\\d+)', 0);
-- a group index beyond the pattern's groups is an error
-- @error
SELECT regexp_extract('abc', '(b)', 2);

-- @function regexp_extract_all
SELECT regexp_extract_all('100-200, 300-400', '(\\d+)-(\\d+)', 1);
SELECT regexp_extract_all('100-200, 300-400', '(\\d+)-(\\d+)', 2);

-- @function regexp_replace
SELECT regexp_replace('2024-05-17', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1');
-- empty matches count, as in Java
SELECT regexp_replace('abc', 'x*', '-');
-- replace from position 2 on
SELECT regexp_replace('aaa', 'a', 'b', 2);

-- @function split
SELECT split('a,b,c', ',');
-- trailing empty strings are kept (limit -1)
SELECT split('a,b,,', ',');
-- the pattern is a regex: '.' matches every character
SELECT split('a.b', '.'), split('a.b', '\\.');
-- two spaces give an empty word
SELECT split('a  b', ' ');
-- at most limit pieces, the last holding the rest
SELECT split('a b c', ' ', 2);
SELECT split('abc', '');

-- @category datetime Date and time functions
-- The session time zone (`spark.sql.session.timeZone`, UTC by default) is
-- used to print timestamps and to read text without a zone; see
-- [time.md](time.md). `current_timestamp()` is fixed per query (per
-- micro-batch in streaming), so its examples compare it rather than print
-- it.

-- @function current_timestamp now
SELECT current_timestamp() = now(), typeof(current_timestamp());
SELECT current_timestamp() > TIMESTAMP '2024-01-01 00:00:00';

-- @function current_date curdate
SELECT current_date() = CAST(current_timestamp() AS DATE), typeof(curdate());

-- @function current_timezone
SELECT current_timezone();
SET spark.sql.session.timeZone = Europe/Paris;
SELECT current_timezone();

-- @function unix_timestamp to_unix_timestamp
SELECT unix_timestamp('2024-05-17 13:45:00');
SELECT unix_timestamp('17/05/2024', 'dd/MM/yyyy'), unix_timestamp('garbage');
SELECT to_unix_timestamp('1970-01-02', 'yyyy-MM-dd');
-- without arguments: the query's time
SELECT unix_timestamp() = unix_seconds(current_timestamp());

-- @function from_unixtime
SELECT from_unixtime(0), from_unixtime(1700000000, 'yyyy-MM-dd');
SET spark.sql.session.timeZone = America/New_York;
SELECT from_unixtime(0);

-- @function add_months
-- the day is clamped to the target month's length
SELECT add_months(DATE '2024-01-31', 1), add_months('2024-03-31', -1);

-- @function date_add dateadd
SELECT date_add(DATE '2024-02-28', 1), date_add('2024-12-31', 1), date_add(DATE '2024-01-10', -10);
SELECT dateadd(DATE '2024-01-01', 10);

-- @function date_sub
SELECT date_sub(DATE '2024-03-01', 1);

-- @function datediff date_diff
SELECT datediff(DATE '2024-03-01', DATE '2024-02-01'), datediff('2024-01-01', '2024-01-10');
-- the time of day does not count
SELECT date_diff(TIMESTAMP '2024-01-02 00:00:01', TIMESTAMP '2024-01-01 23:59:59');

-- @function date_format
SELECT date_format(TIMESTAMP '2024-05-17 13:45:30', 'yyyy/MM/dd HH:mm');
SELECT date_format(TIMESTAMP '2024-05-17 13:45:30', 'EEE, d MMM yyyy hh:mm a');
SELECT date_format(DATE '2024-05-17', 'D');

-- @function date_from_unix_date
SELECT date_from_unix_date(0), date_from_unix_date(19860);

-- @function unix_date
SELECT unix_date(DATE '1970-01-02'), unix_date(DATE '1969-12-31');

-- @function date_part extract
SELECT extract(YEAR FROM DATE '2024-05-17'), extract(MONTH FROM DATE '2024-05-17');
-- DAYOFWEEK counts from Sunday = 1, DAYOFWEEK_ISO from Monday = 1
SELECT extract(DAYOFWEEK FROM DATE '2024-05-17'), extract(DOY FROM DATE '2024-05-17');
SELECT extract(HOUR FROM TIMESTAMP '2024-05-17 13:45:30');
-- SECOND keeps the fraction: Spark gives DECIMAL(8,6) 30.500000
SELECT extract(SECOND FROM TIMESTAMP '2024-05-17 13:45:30.5');
SELECT date_part('YEAR', TIMESTAMP '2024-05-17 13:45:30'), date_part('week', DATE '2024-05-17');
SELECT extract(MINUTE FROM INTERVAL '1 hour 30 minutes');

-- @function date_trunc
SELECT date_trunc('HOUR', TIMESTAMP '2024-05-17 13:45:30');
-- weeks start on Monday
SELECT date_trunc('WEEK', TIMESTAMP '2024-05-17 13:45:30');
SELECT date_trunc('QUARTER', TIMESTAMP '2024-05-17 13:45:30');
SELECT date_trunc('MONTH', DATE '2024-05-17');

-- @function trunc
SELECT trunc(DATE '2024-05-17', 'MM'), trunc(DATE '2024-05-17', 'YEAR');
SELECT trunc(DATE '2024-05-17', 'QUARTER'), trunc(DATE '2024-05-17', 'WEEK');
-- an unknown unit gives NULL: trunc knows YEAR/YYYY/YY, QUARTER, MONTH/MM/MON, WEEK
SELECT trunc(DATE '2024-05-17', 'Q'), trunc(DATE '2024-05-17', 'HOUR');

-- @function day dayofmonth
SELECT day(DATE '2024-05-17'), dayofmonth('2024-05-17');

-- @function dayofweek
-- 1 = Sunday ... 7 = Saturday (2024-05-17 was a Friday)
SELECT dayofweek(DATE '2024-05-17');

-- @function weekday
-- 0 = Monday ... 6 = Sunday
SELECT weekday(DATE '2024-05-17');

-- @function dayofyear
SELECT dayofyear(DATE '2024-12-31'), dayofyear(DATE '2023-12-31');

-- @function weekofyear
-- ISO weeks: week 1 is the one with the year's first Thursday
SELECT weekofyear(DATE '2024-05-17'), weekofyear(DATE '2024-12-30'), weekofyear(DATE '2021-01-03');

-- @function month
SELECT month(DATE '2024-05-17'), month('2024-12-01');

-- @function quarter
SELECT quarter(DATE '2024-05-17'), quarter(DATE '2024-12-31');

-- @function year
SELECT year(DATE '2024-05-17'), year(TIMESTAMP '1999-12-31 23:59:59');

-- @function hour
SELECT hour(TIMESTAMP '2024-05-17 13:45:30'), hour('2024-05-17 01:02:03');

-- @function minute
SELECT minute(TIMESTAMP '2024-05-17 13:45:30');

-- @function second
-- whole seconds
SELECT second(TIMESTAMP '2024-05-17 13:45:30.9');

-- @function last_day
SELECT last_day(DATE '2024-02-10'), last_day('2023-02-10');

-- @function next_day
-- strictly after the date
SELECT next_day(DATE '2024-05-17', 'Mon'), next_day(DATE '2024-05-17', 'FRIDAY');
SELECT next_day(DATE '2024-05-17', 'someday');

-- @function make_date
SELECT make_date(2024, 2, 29), make_date(2023, 2, 29);

-- @function make_timestamp
SELECT make_timestamp(2024, 5, 17, 13, 45, 30.5);
-- second 60 is the next minute
SELECT make_timestamp(2024, 5, 17, 13, 45, 60);
SELECT make_timestamp(2024, 5, 17, 12, 0, 0, 'Europe/Paris');
SELECT make_timestamp(2024, 13, 1, 0, 0, 0);

-- @function months_between
SELECT months_between(TIMESTAMP '1997-02-28 10:30:00', TIMESTAMP '1996-10-30');
SELECT months_between('1997-02-28 10:30:00', '1996-10-30', false);
-- both days the last of their month: a whole number
SELECT months_between(DATE '2024-02-29', DATE '2024-01-31');

-- @function from_utc_timestamp
SELECT from_utc_timestamp(TIMESTAMP '2024-05-17 12:00:00', 'Europe/Paris');
SELECT from_utc_timestamp(TIMESTAMP '2024-01-17 12:00:00', 'Asia/Tokyo');

-- @function to_utc_timestamp
SELECT to_utc_timestamp(TIMESTAMP '2024-05-17 14:00:00', 'Europe/Paris');

-- @function timestamp_seconds
SELECT timestamp_seconds(1700000000);
SELECT timestamp_seconds(1.5);

-- @function timestamp_millis
SELECT timestamp_millis(1700000000123);

-- @function timestamp_micros
SELECT timestamp_micros(1500000);

-- @function unix_seconds
-- rounded down, also before 1970
SELECT unix_seconds(TIMESTAMP '1970-01-01 00:00:01.9'), unix_seconds(TIMESTAMP '1969-12-31 23:59:59.5');

-- @function unix_millis
SELECT unix_millis(TIMESTAMP '1970-01-01 00:00:01.2345');

-- @function unix_micros
SELECT unix_micros(TIMESTAMP '1970-01-01 00:00:01.000002');

-- @function to_date
SELECT to_date('2024-05-17'), to_date('2024-05-17 13:45:00');
SELECT to_date('17/05/2024', 'dd/MM/yyyy'), to_date('2024-13-01');

-- @function to_timestamp
SELECT to_timestamp('2024-05-17 13:45:00');
SELECT to_timestamp('17/05/2024 13:45', 'dd/MM/yyyy HH:mm');
SELECT to_timestamp('2024-05-17T13:45:00+02:00'), to_timestamp('yesterday');

-- @function window
-- the tumbling window of an event: aligned to the epoch (R99), half-open (R98)
SELECT window(TIMESTAMP '2024-01-01 12:07:30', '10 minutes');
SELECT window(TIMESTAMP '2024-01-01 12:10:00', '10 minutes').start;
-- sliding windows: one row per window containing the event (R100)
SELECT window.start, window.end FROM VALUES (TIMESTAMP '2024-01-01 12:07:00') AS t(ts) GROUP BY window(ts, '10 minutes', '5 minutes') ORDER BY 1;
-- a startTime shifts the alignment (R99)
SELECT window(TIMESTAMP '2024-01-01 12:07:30', '10 minutes', '10 minutes', '2 minutes');
-- @error
SELECT window(TIMESTAMP '2024-01-01 12:00:00', '1 month');

-- @function session_window
-- events of a key closer than the gap share a session [first, last + gap) (R105)
SELECT k, session_window.start, session_window.end, count(*) AS n FROM VALUES ('a', TIMESTAMP '2024-01-01 12:00:00'), ('a', TIMESTAMP '2024-01-01 12:03:00'), ('a', TIMESTAMP '2024-01-01 12:20:00') AS t(k, ts) GROUP BY k, session_window(ts, '5 minutes') ORDER BY 2;

-- @function window_time
-- the last microsecond of a window (R104): chained windows use it
SELECT window_time(window(TIMESTAMP '2024-01-01 12:07:30', '10 minutes'));

-- @category json JSON functions
-- JSON text is parsed against a schema written as a DDL string. Malformed
-- text gives a struct of NULLs; a field of the wrong type gives NULL in that
-- field only (Spark 3.4+, R165–R169).

-- @function from_json
SELECT from_json('{"a": 1, "b": "x"}', 'a INT, b STRING');
-- keys match case-sensitively; missing keys and wrong types give NULL fields
SELECT from_json('{"A": 1, "b": "x"}', 'a INT, b STRING'), from_json('{"a": "x", "b": 2}', 'a INT, b INT');
-- malformed text: every field NULL, not a NULL struct
SELECT from_json('{"a" 1}', 'a INT, b STRING');
SELECT from_json('{"a": {"b": [1, 2]}}', 'a STRUCT<b: ARRAY<INT>>').a.b;
-- a STRING field keeps any JSON value's text
SELECT from_json('{"a": {"x": 1}, "b": 1.50}', 'a STRING, b STRING');

-- @function to_json
-- NULL fields are left out
SELECT to_json(named_struct('a', 1, 'b', CAST(NULL AS STRING), 'c', 'x'));
SELECT to_json(array(named_struct('x', 1.5), named_struct('x', 2.0)));
SELECT to_json(named_struct('ts', TIMESTAMP '2024-05-17 13:45:00', 'd', DATE '2024-05-17'));

-- @function get_json_object
SELECT get_json_object('{"a": {"b": [10, 20]}}', '$.a.b[1]');
-- objects come back as compact JSON text, strings without quotes
SELECT get_json_object('{"a": {"b": [10, 20]}}', '$.a'), get_json_object('{"s": "x"}', '$.s');
SELECT get_json_object('{"a": 1}', '$.z'), get_json_object('{"a" 1}', '$.a');

-- @function schema_of_json
SELECT schema_of_json('{"a": 1, "b": [1.5, 2], "c": "x", "d": {"e": true}}');

-- @category nested Arrays and structs
-- Arrays print as `[a, b]`, structs as `{a, b}` (values only). `a[i]`
-- counts from 0, `element_at` from 1.

-- @function array
SELECT array(1, 2, 3), array(1, NULL), array(1, 2.5);
SELECT array('a', 'b')[1];

-- @function struct
-- fields are named col1, col2, ... (Spark names a field after its argument when it is a column)
SELECT struct(1, 'x');
SELECT typeof(struct(1, 'x'));

-- @function named_struct
SELECT named_struct('id', 7, 'tags', array('a', 'b'));
SELECT named_struct('id', 7, 'name', 'x').name;

-- @function element_at
SELECT element_at(array(10, 20, 30), 1), element_at(array(10, 20, 30), -1), element_at(array(10, 20), 5);
-- index 0 is an error in Spark, whatever the ANSI mode
-- @error
SELECT element_at(array(1, 2), 0);

-- @function size cardinality
SELECT size(array(1, 2, 3)), size(array());
-- NULL gives -1 (spark.sql.legacy.sizeOfNull, true when ANSI mode is off)
SELECT size(NULL), cardinality(CAST(NULL AS ARRAY<INT>));
SELECT cardinality(array('a'));

-- @function array_size
SELECT array_size(array(1, 2)), array_size(NULL);

-- @function array_contains
SELECT array_contains(array(1, 2), 2), array_contains(array(1, 2), 3);
-- not found, but the array holds a NULL: unknown
SELECT array_contains(array(1, NULL), 3), array_contains(array(1, 2), NULL);

-- @function array_position
-- 1-based; 0 when absent
SELECT array_position(array(3, 2, 1, 2), 2), array_position(array(3, 2, 1), 5);

-- @function array_remove
SELECT array_remove(array(1, 2, 3, 2), 2), array_remove(array(1, NULL, 2), 1);

-- @function array_distinct
SELECT array_distinct(array(1, 2, 2, NULL, NULL, 1));

-- @function array_join
SELECT array_join(array('a', NULL, 'b'), ','), array_join(array('a', NULL, 'b'), ',', '?');

-- @function array_max array_min
SELECT array_max(array(1, NULL, 3)), array_min(array(1, NULL, 3));
SELECT array_max(array('b', 'a')), array_max(array(CAST(NULL AS INT)));
-- NaN is the largest double
SELECT array_max(array(1.0D, CAST('NaN' AS DOUBLE)));

-- @function array_sort
-- ascending, NULLs last
SELECT array_sort(array('b', NULL, 'a'));

-- @function sort_array
-- NULLs first ascending, last descending
SELECT sort_array(array(3, NULL, 1)), sort_array(array(3, NULL, 1), false);

-- @function slice
SELECT slice(array(1, 2, 3, 4), 2, 2), slice(array(1, 2, 3, 4), -2, 2), slice(array(1, 2), 2, 5);
-- start 0 is an error in Spark
-- @error
SELECT slice(array(1, 2, 3), 0, 1);

-- @function flatten
SELECT flatten(array(array(1, 2), array(3))), flatten(array(array(1), NULL));

-- @function explode
-- @usage explode(array)
-- @about One row per element (column col); a NULL or empty array gives no row. Only as a whole item of the SELECT list, one per SELECT.
SELECT explode(array(1, 2)) AS n, 'x' AS other;
SELECT k, explode(v) FROM VALUES ('a', array(1, 2)), ('b', array()), ('c', NULL) AS t(k, v);

-- @function explode_outer
-- @usage explode_outer(array)
-- @about As explode, but a NULL or empty array gives one row with NULL.
SELECT k, explode_outer(v) FROM VALUES ('a', array(1, 2)), ('b', array()), ('c', NULL) AS t(k, v);

-- @function posexplode
-- @usage posexplode(array)
-- @about One row per element with its 0-based position (columns pos, col).
SELECT posexplode(array('x', 'y'));

-- @function posexplode_outer
-- @usage posexplode_outer(array)
-- @about As posexplode, but a NULL or empty array gives one row of NULLs.
SELECT k, posexplode_outer(v) FROM VALUES ('a', array(5)), ('b', array()) AS t(k, v);

-- @category aggregate Aggregate functions
-- NULL inputs are ignored; over no rows `count` gives 0 and the others NULL
-- (R137). `count`, `sum` and `avg` take `DISTINCT`. The examples aggregate
-- inline `VALUES`; with `GROUP BY` each group gets its own value.

-- @function count
SELECT count(*), count(x), count(DISTINCT x) FROM VALUES (1), (1), (2), (NULL) AS t(x);
SELECT count(*) FROM VALUES (1) AS t(x) WHERE x > 5;

-- @function sum
-- integers sum to BIGINT, so INT overflow does not happen
SELECT sum(x), typeof(sum(x)) FROM VALUES (2147483647), (1), (NULL) AS t(x);
SELECT sum(DISTINCT x), sum(x) FROM VALUES (1), (1), (2) AS t(x);
SELECT sum(x) FROM VALUES (1) AS t(x) WHERE x > 5;

-- @function avg mean
SELECT avg(x), mean(x) FROM VALUES (1), (2), (NULL) AS t(x);
SELECT k, avg(v) FROM VALUES ('a', 1), ('a', 4), ('b', NULL) AS t(k, v) GROUP BY k;

-- @function min max
SELECT min(x), max(x) FROM VALUES (3), (NULL), (1) AS t(x);
SELECT min(s), max(s) FROM VALUES ('pear'), ('apple'), ('Zebra') AS t(s);
-- NaN is the largest double
SELECT max(x) FROM VALUES (1.0D), (CAST('NaN' AS DOUBLE)) AS t(x);

-- @function first first_value
-- the first row's value, NULL included unless ignoreNulls is true
SELECT first(x), first(x, true), first_value(x) FROM VALUES (NULL), (2), (3) AS t(x);

-- @function last last_value
SELECT last(x), last(x, true), last_value(x) FROM VALUES (1), (2), (NULL) AS t(x);

-- @function approx_count_distinct
SELECT approx_count_distinct(x) FROM VALUES (1), (2), (2), (3), (NULL) AS t(x);
SELECT k, approx_count_distinct(v) FROM VALUES ('a', 'x'), ('a', 'y'), ('a', 'x'), ('b', NULL) AS t(k, v) GROUP BY k;

-- @function stddev std stddev_samp
-- sample standard deviation (n - 1); NULL for a single value
SELECT stddev(x), std(x), stddev_samp(x) FROM VALUES (2), (4), (4), (4), (5), (5), (7), (9) AS t(x);
SELECT stddev_samp(x) FROM VALUES (1) AS t(x);

-- @function stddev_pop
SELECT stddev_pop(x) FROM VALUES (2), (4), (4), (4), (5), (5), (7), (9) AS t(x);

-- @function variance var_samp
SELECT variance(x), var_samp(x) FROM VALUES (2), (4), (4), (4), (5), (5), (7), (9) AS t(x);

-- @function var_pop
SELECT var_pop(x) FROM VALUES (2), (4), (4), (4), (5), (5), (7), (9) AS t(x);

-- @function grouping
-- @usage grouping(col)
-- @about 1 in the rows where col is rolled up by CUBE, ROLLUP or GROUPING SETS, else 0.
SELECT k, grouping(k), sum(v) FROM VALUES ('a', 1), ('b', 2), (NULL, 3) AS t(k, v) GROUP BY ROLLUP(k);

-- @function grouping_id
-- @usage grouping_id()
-- @about The bits of grouping() over the grouping columns, the first column the most significant.
SELECT a, b, grouping_id(), count(*) FROM VALUES ('x', 1), ('y', 2) AS t(a, b) GROUP BY CUBE(a, b) ORDER BY 3, 1, 2;
