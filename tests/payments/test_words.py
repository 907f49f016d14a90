import pytest

from motcua.payments.words import amount_in_words


@pytest.mark.parametrize("amount, words", [
    (2000, "Hai nghìn đồng"),
    (15000, "Mười lăm nghìn đồng"),
    (50000, "Năm mươi nghìn đồng"),
    (105000, "Một trăm linh năm nghìn đồng"),
    (1_021_000, "Một triệu không trăm hai mươi mốt nghìn đồng"),
    (2_000_005, "Hai triệu không trăm linh năm đồng"),
    (1_500_000_000, "Một tỷ năm trăm triệu đồng"),
])
def test_amounts_read_as_vietnamese_receipts_write_them(amount, words):
    assert amount_in_words(amount) == words
