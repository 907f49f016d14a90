"""Amounts in Vietnamese words, as receipts write them ("Năm mươi nghìn đồng")."""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", " nghìn", " triệu", " tỷ"]


def _three(n: int, full: bool) -> str:
    """0 < n < 1000; `full`: a lower group of a larger number, read with its zero hundreds
    ("một triệu không trăm linh năm nghìn")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def number_in_words(n: int) -> str:
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_in_words(-n)
    if n >= 1000 ** 4:
        # Far beyond any fee: printed as digits rather than read out.
        return f"{n:,}".replace(",", ".")
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words = []
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group == 0:
            continue
        words.append(_three(group, full=i < len(groups) - 1) + GROUPS[i])
    return " ".join(words)


def amount_in_words(n: int) -> str:
    text = number_in_words(n) + " đồng"
    return text[0].upper() + text[1:]
