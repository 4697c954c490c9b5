from orders import vietqr


def test_crc_matches_the_ccitt_false_check_value():
    # The catalogued check value of CRC-16/CCITT-FALSE over "123456789".
    assert vietqr.crc16_ccitt("123456789") == "29B1"


def test_payload_carries_bank_account_amount_and_reference():
    data = vietqr.payload(
        bank_bin="970436", account="0011001234567", amount=307000, info="ABCD2345"
    )

    assert data.startswith("000201010212")
    assert "0006970436" in data and "01130011001234567" in data
    assert "5406307000" in data and "5802VN" in data and "0808ABCD2345" in data
    assert data[-8:-4] == "6304"
    assert vietqr.crc16_ccitt(data[:-4]) == data[-4:]
