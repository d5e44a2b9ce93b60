"""QR images a citizen's phone has to read: decoded with zbar, never trusted."""

import io

import pytest
from PIL import Image

from survey import qr
from tests.qrdecode import decode_png, svg_to_png

BASE = "https://hailong.example.vn"


def _logo() -> bytes:
    """A solid red square standing in for an agency emblem."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def logo_dir(app, tmp_path):
    before = app.config["QR_LOGO_DIR"]
    app.config["QR_LOGO_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["QR_LOGO_DIR"] = before


def _expected(point) -> str:
    return f"HTTPS://HAILONG.EXAMPLE.VN/S/{point.code}"


@pytest.mark.parametrize("size", [200, 600, 1200, 2400])
def test_png_decodes_at_screen_and_print_sizes(client, province, size):
    response = client.get(f"/qr/{province.point_a.code}.png?size={size}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data)).convert("L")
    assert size * 0.8 <= image.width <= size and image.width == image.height
    assert decode_png(response.data) == [_expected(province.point_a)]


def test_png_keeps_the_four_module_quiet_zone(client, province):
    data = client.get(f"/qr/{province.point_a.code}.png?size=600").data
    image = Image.open(io.BytesIO(data)).convert("L")
    width = qr.make(_expected(province.point_a)).symbol_size(scale=1, border=0)[0]
    border = 4 * image.width // (width + 8)
    strip = image.crop((0, 0, image.width, border))
    assert strip.getextrema() == (255, 255)
    assert image.crop((0, border, image.width, border + 2)).getextrema()[0] == 0  # the symbol starts there


def test_decoded_upper_case_url_opens_the_same_survey(client, province):
    decoded = decode_png(client.get(f"/qr/{province.point_a.code}.png").data)[0]
    page = client.get(decoded.removeprefix("HTTPS://HAILONG.EXAMPLE.VN"))
    assert page.status_code == 200
    assert "Thủ tục đăng ký khai sinh (1.001193)" in page.text


def test_upper_case_url_gives_a_smaller_symbol():
    upper = qr.compact_url(BASE, "s/ABCD2345")
    assert upper == "HTTPS://HAILONG.EXAMPLE.VN/S/ABCD2345"
    assert qr.make(upper).version < qr.make(f"{BASE}/s/ABCD2345").version


def test_base_url_with_a_path_is_not_upper_cased():
    assert qr.compact_url("https://dichvu.example.vn/hailong", "s/ABCD2345") == (
        "https://dichvu.example.vn/hailong/s/ABCD2345"
    )


def test_upper_case_can_be_switched_off(app, client, province):
    app.config["QR_UPPERCASE_URL"] = False
    try:
        data = client.get(f"/qr/{province.point_a.code}.png").data
    finally:
        app.config["QR_UPPERCASE_URL"] = True
    assert decode_png(data) == [f"{BASE}/s/{province.point_a.code}"]


def test_svg_rasterised_decodes(client, province):
    response = client.get(f"/qr/{province.point_b.code}.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    for width in (300, 1200):
        assert decode_png(svg_to_png(response.data, width)) == [_expected(province.point_b)]


def test_logo_png_and_svg_still_decode(client, province, logo_dir):
    (logo_dir / "T01.png").write_bytes(_logo())  # the province's emblem, inherited by the commune
    png = client.get(f"/qr/{province.point_a.code}.png?logo=1&size=800").data
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.getpixel((image.width // 2, image.height // 2)) == (200, 0, 0)
    assert decode_png(png) == [_expected(province.point_a)]
    svg = client.get(f"/qr/{province.point_a.code}.svg?logo=1").data
    raster = svg_to_png(svg, 800)
    centre = Image.open(io.BytesIO(raster)).convert("RGB").getpixel((400, 400))
    assert centre[0] > 150 and centre[1] < 60
    assert decode_png(raster) == [_expected(province.point_a)]


def test_logo_uses_level_h():
    assert qr.make("HTTPS://X.VN/S/ABCD2345", with_logo=True).error == "H"


def test_no_logo_file_gives_the_plain_code(client, province, logo_dir):
    with_flag = client.get(f"/qr/{province.point_a.code}.png?logo=1").data
    assert with_flag == client.get(f"/qr/{province.point_a.code}.png").data


def test_bad_size_and_unknown_code(client, province):
    assert client.get(f"/qr/{province.point_a.code}.png?size=big").status_code == 400
    assert client.get("/qr/ZZZZ2222.png").status_code == 404
    assert client.get("/qr/ZZZZ2222.svg").status_code == 404


def test_image_ignores_request_host(client, province):
    data = client.get(f"/qr/{province.point_a.code}.svg", base_url="http://evil.example").data
    assert decode_png(svg_to_png(data)) == [_expected(province.point_a)]
