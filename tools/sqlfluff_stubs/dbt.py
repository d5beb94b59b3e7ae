"""Stand-ins for dbt's cross-database macros (the `dbt.` namespace) for SQLFluff."""


def type_string():
    return "varchar"


def type_timestamp():
    return "timestamp"


def type_bigint():
    return "bigint"


def type_int():
    return "integer"


def type_numeric():
    return "numeric(28, 6)"


def safe_cast(field, type_):
    return f"try_cast({field} as {type_})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"({from_date_or_timestamp} + interval ({interval}) {datepart})"


def datediff(first_date, second_date, datepart):
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def position(substring_text, string_text):
    return f"position({substring_text} in {string_text})"


def date_trunc(datepart, date):
    return f"date_trunc('{datepart}', {date})"


def hash(field):  # noqa: A001 - dbt's macro name
    return f"md5(cast({field} as varchar))"


def concat(fields):
    return f"concat({', '.join(fields)})"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    return f"string_agg({measure}, {delimiter_text} {order_by_clause or ''})"
