"""The PDF: pandoc's Typst writer, then the typst compiler, tagged and identified as PDF/UA-1. No LaTeX."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import typst

from planpress.errors import BuildError
from planpress.side_by_side import in_a_child

# Fonts Typst embeds. Liberation Sans (fonts-liberation2) matches Arial, the Word house font;
# DejaVu Sans is the fallback every Debian has. Both are found among the system fonts.
FONT_FOLDERS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
                Path("/usr/share/fonts/truetype/dejavu")]


def picture_problem(picture: Path) -> str:
    """Why Typst cannot show a picture ("" when it can): a one-picture document is made from it."""
    with tempfile.TemporaryDirectory(prefix="planpress-picture-") as scratch:
        copy = Path(scratch) / f"picture{picture.suffix.lower()}"
        shutil.copyfile(picture, copy)
        source = Path(scratch) / "picture.typ"
        source.write_text(f'#image("{copy.name}")\n', encoding="utf-8")
        try:
            typst.compile(str(source), output=str(Path(scratch) / "picture.pdf"), root=scratch,
                          font_paths=[str(f) for f in FONT_FOLDERS if f.is_dir()])
        except Exception as error:  # typst's TypstError: the picture could not be decoded
            return " ".join(str(getattr(error, "message", "") or error).split())
    return ""


def compile_pdf(source: Path, output: Path, root: Path) -> None:
    """Compile the Typst file `source` to a PDF/UA-1 PDF; `root` is the folder its images are in."""
    try:
        typst.compile(str(source), output=str(output), root=str(root),
                      font_paths=[str(f) for f in FONT_FOLDERS if f.is_dir()],
                      pdf_standards=["ua-1"])
    except Exception as error:  # typst raises its own TypstError; its diagnostic names the line of plan.typ
        said = (getattr(error, "diagnostic", "") or str(error)).strip()
        raise BuildError(f"typst could not compile {source.name} to PDF/UA-1:\n{said}") from None


_NOT_SHOWN = re.compile(r"the text `\"(.*?)\"` could not be displayed")
_CHECKED: dict[frozenset[str], tuple[str, ...]] = {}


def undisplayable(characters: Iterable[str], most: int = 20) -> tuple[str, ...]:
    """The characters, of those given, that no font the PDF may use can show (PDF/UA-1 refuses them).

    Asked of typst itself, which names one such character per attempt: each is taken out and the rest
    asked again, up to `most` of them. Remembered for the same characters (serve checks often)."""
    wanted = frozenset(characters)
    if wanted in _CHECKED:
        return _CHECKED[wanted]
    _CHECKED.clear()
    # Typst starts threads of its own: asked in a child, so the build can still fork its jobs.
    _CHECKED[wanted] = in_a_child(partial(_not_shown, sorted(wanted), most))
    return _CHECKED[wanted]


def _not_shown(left: list[str], most: int) -> tuple[str, ...]:
    """What typst says it cannot show of `left` (the characters, sorted), up to `most` of them."""
    missing: list[str] = []
    with tempfile.TemporaryDirectory(prefix="planpress-fonts-") as scratch:
        page = Path(scratch) / "characters.typ"
        while left and len(missing) < most:
            page.write_text('#set document(title: [Characters])\n#set text(font: ("Liberation Sans", "DejaVu Sans"))\n'
                            + "\n".join(f"#box[{character}]" for character in left) + "\n", encoding="utf-8")
            try:
                typst.compile(str(page), root=scratch, font_paths=[str(f) for f in FONT_FOLDERS if f.is_dir()],
                              pdf_standards=["ua-1"])
                break
            except Exception as error:  # typst's own error, naming the first text it cannot show
                shown = _NOT_SHOWN.search(str(error))
                found = _unescape(shown.group(1)) if shown else ""
                if found not in left:
                    break  # some other failure: the build will report it
                missing.append(found)
                left.remove(found)
    return tuple(missing)


def _unescape(text: str) -> str:
    """Typst writes a character it cannot show as itself or as \\u{8c}."""
    return re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m.group(1), 16)), text)


def svgs_to_pngs(svgs: list[Path], ppi: int = 200) -> None:
    """Each SVG chart rendered to a PNG beside it (chart.png for chart.svg), by one run of the typst
    compiler: one page per chart (a run per chart costs as much again in starting up)."""
    if not svgs:
        return
    folder = svgs[0].parent
    page = folder / ".charts-as-png.typ"
    pictures = "\n#pagebreak()\n".join(f'#image("{svg.relative_to(folder).as_posix()}")' for svg in svgs)
    page.write_text(f"#set page(width: auto, height: auto, margin: 0pt)\n{pictures}\n", encoding="utf-8")
    try:
        made = typst.compile(str(page), root=str(folder), format="png", ppi=ppi,
                             font_paths=[str(f) for f in FONT_FOLDERS if f.is_dir()])
    except Exception as error:
        raise BuildError(f"typst could not render the charts ({', '.join(svg.name for svg in svgs)}) as PNG:\n"
                         f"{error}") from None
    finally:
        page.unlink(missing_ok=True)
    for svg, png in zip(svgs, made if isinstance(made, list) else [made]):
        svg.with_suffix(".png").write_bytes(png)
