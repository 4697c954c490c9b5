"""VietQR payloads (Napas, on the EMVCo merchant-presented QR format)."""

import qrcode
import qrcode.image.svg

NAPAS_GUID = "A000000727"
# Napas service code for a transfer to an account number.
TO_ACCOUNT = "QRIBFTTA"


def _field(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF), as 4 hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def payload(*, bank_bin: str, account: str, amount: int, info: str) -> str:
    beneficiary = _field("00", bank_bin) + _field("01", account)
    merchant = (
        _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", TO_ACCOUNT)
    )
    body = (
        _field("00", "01")
        + _field("01", "12")  # dynamic: the code carries an amount
        + _field("38", merchant)
        + _field("53", "704")
        + _field("54", str(int(amount)))
        + _field("58", "VN")
        + _field("62", _field("08", info))
        + "6304"
    )
    return body + crc16_ccitt(body)


def svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
