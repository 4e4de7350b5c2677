#!/usr/bin/env python3
"""Assembles the browser's files of a release into a site folder, without cargo-leptos.

No page loads WebAssembly (every page is server-rendered and has no island), so a release
needs only the files in public/ and the style sheet. This writes them into --out:

  public/*            as they are (favicon.svg, forms.js, pow.js: small, revalidated)
  pkg/tiendo.css      the style sheet without its comments and blank space; with --hash,
                      named pkg/tiendo.<hash>.css after its content, and the hash written
                      to --hash-file (beside the server binary, where the server reads it
                      when LEPTOS_HASH_FILES=true) so that the page links that name and the
                      server lets browsers keep it for a year.

With --precompress, each file also gets its .br (brotli, best quality, from the `brotli`
tool) and .gz, which the server sends as they are to browsers that accept them; other
answers it compresses as it sends them. Adding an
island brings back the WebAssembly bundle: build it then with `cargo leptos build
--release` (see the README's architecture section).
"""

import argparse
import gzip
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_NAME = "tiendo"


STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def minify_css(text: str) -> str:
    """Drops comments and the blank space around punctuation, outside strings; leaves
    every rule as it is.

    Conservative on purpose: spaces inside selectors (`a :hover` differs from `a:hover`)
    and values (`calc(1px + 2px)`) are only collapsed to one, never removed."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # no string here holds "/*"
    parts = STRING.split(text)
    for i in range(0, len(parts), 2):  # even parts lie outside strings
        part = re.sub(r"\s+", " ", parts[i])
        part = re.sub(r"\s*([{};,])\s*", r"\1", part)
        parts[i] = part.replace(";}", "}")
    return "".join(parts).strip() + "\n"


def assemble(out: Path, hash_file: Path | None) -> Path:
    if out.exists():
        shutil.rmtree(out)
    (out / "pkg").mkdir(parents=True)
    for item in sorted((ROOT / "public").iterdir()):
        if item.is_file():
            shutil.copyfile(item, out / item.name)
    css = minify_css((ROOT / "style" / "main.css").read_text(encoding="utf-8"))
    name = f"{OUTPUT_NAME}.css"
    if hash_file is not None:
        digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:16]
        name = f"{OUTPUT_NAME}.{digest}.css"
        hash_file.parent.mkdir(parents=True, exist_ok=True)
        hash_file.write_text(f"css: {digest}\n", encoding="utf-8")
    sheet = out / "pkg" / name
    sheet.write_text(css, encoding="utf-8")
    return sheet


def precompress(out: Path) -> None:
    if shutil.which("brotli") is None:
        raise SystemExit("brotli is missing: run scripts/ensure-tools.sh run")
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in {".css", ".js", ".svg"}):
        data = path.read_bytes()
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        subprocess.run(["brotli", "--best", "--force", f"--output={path}.br", "--", str(path)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="the site folder to (re)write")
    parser.add_argument(
        "--hash-file",
        type=Path,
        help="name the style sheet after its content and write the hash here",
    )
    parser.add_argument("--precompress", action="store_true", help="write .br and .gz beside each file")
    args = parser.parse_args()
    sheet = assemble(args.out, args.hash_file)
    if args.precompress:
        precompress(args.out)
    raw = (ROOT / "style" / "main.css").stat().st_size
    print(f"site in {args.out}: {sheet.relative_to(args.out)} ({sheet.stat().st_size:,} bytes from {raw:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
