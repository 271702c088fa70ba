import sys, pathlib, dataclasses, os
sys.path.insert(0, os.environ.get('ROOT','/work/main'))
from summarizer import anchors, packs, article as A
rs = packs.build(); sc = rs.scanner
arts = [A.from_text(f.read_text(), str(f)) for f in sorted(pathlib.Path('/work/shared/eval/polnear/train').glob('*.txt'))[::3]]
s = dataclasses.replace(sc, _memo={}, _conditions={})
