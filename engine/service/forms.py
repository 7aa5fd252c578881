"""multipart/form-data bodies parsed in memory (python-multipart's streaming parser, no temporary files).

The body is already bounded by the service's size limit, so every part is kept
in memory; nothing touches the disk (a framework's form parser would spool
large uploads to a temporary file).
"""

from __future__ import annotations

from dataclasses import dataclass

from python_multipart.multipart import MultipartParser, parse_options_header

from .http import problem


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def parse_form(content_type: str, data: bytes, lang: str) -> dict[str, Part]:
    """Every part by field name (the last one wins for a repeated name)."""
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise problem(400, "S_BAD_FORM", lang, problem="boundary")
    parts: dict[str, Part] = {}
    headers: dict[bytes, bytes] = {}
    name: list[bytes] = [b"", b""]
    chunks: list[bytes] = []

    def on_part_begin() -> None:
        headers.clear()
        chunks.clear()

    def on_header_field(buffer: bytes, start: int, end: int) -> None:
        name[0] += buffer[start:end]

    def on_header_value(buffer: bytes, start: int, end: int) -> None:
        name[1] += buffer[start:end]

    def on_header_end() -> None:
        headers[name[0].lower()] = name[1]
        name[0], name[1] = b"", b""

    def on_part_data(buffer: bytes, start: int, end: int) -> None:
        chunks.append(bytes(buffer[start:end]))

    def on_part_end() -> None:
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        field = disposition.get(b"name", b"").decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        parts[field] = Part(field, filename.decode("utf-8", "replace") if filename is not None else None,
                            headers.get(b"content-type", b"").decode("latin-1"), b"".join(chunks))  # fmt: skip

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_part_data": on_part_data, "on_part_end": on_part_end,
    })  # fmt: skip
    try:
        parser.write(data)
        parser.finalize()
    except Exception as failure:  # python-multipart raises its own parse errors for a broken body
        raise problem(400, "S_BAD_FORM", lang, problem=str(failure)) from None
    return parts


__all__ = ["Part", "parse_form"]
