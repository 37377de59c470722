#!/usr/bin/env python3
"""Hostile JSON lines for `aha verify`: bench/verify_fuzz.py N > lines.jsonl (seeded, deterministic).

Each line is one of: a well-formed case with a hostile answer (huge powers and factorials, deep
nesting, many boxes or answer blocks, contradictions, long text), a number field with a huge
exponent, a malformed or truncated line, a blank line, a non-object, a field of the wrong type,
trailing garbage, or a raw carriage return. The stream must give exactly one verdict per line,
never stop, print no stack trace, and stay within its heap. See docs/verifier.md (fuzz).
"""
import json, random, sys

ANSWERS = [
    r"9^{9^{9^{9}}}", r"1000!", r"10^{10^{10}}", r"\frac{1}{0}", r"0^0", r"\tan(\pi/2)",
    "{" * 300 + "1" + "}" * 300, r"\sqrt{" * 300 + "2" + "}" * 300, r"\boxed{" * 200 + "5" + "}" * 200,
    "1" * 500, "(" * 300 + "1" + ")" * 300, r"e^{10^{6}}", r"\sin(10^{100})", r"2^{2^{2^{2^{2}}}}",
    r"x^{100}+y^{100}", r"\binom{10^9}{5}", "1e999999999", r"3\cdot 3^{800}", r"\lfloor 10^{400} \rfloor",
]
GOLDS = ["3", "1/2", r"\frac{\pi}{4}", "(0, 1)", r"\{1, 2\}", "B", "24 from [3, 4, 7, 25]", "x^2+1", r"\pm 5"]

def hostile(rng):
    k = rng.randrange(14)
    gold = rng.choice(GOLDS)
    ans = rng.choice(ANSWERS)
    if k == 0:
        return json.dumps({"gold": gold, "response": f"<think>x</think><answer>{ans}</answer>"})
    if k == 1:
        return json.dumps({"gold": gold, "response": ("\\boxed{%s} " % ans) * rng.randrange(1, 20)})
    if k == 2:
        return json.dumps({"gold": gold, "response": "<answer>1</answer>" * rng.randrange(1, 200)})
    if k == 3:
        return '{"gold": 1e%d, "response": "<answer>1</answer>"}' % rng.choice([999999999, 2147483647, 99999999999, 1000])
    if k == 4:
        return json.dumps({"gold": gold, "response": "x"})[: rng.randrange(1, 30)]
    if k == 5:
        return ""
    if k == 6:
        return rng.choice(["[1, 2]", "42", "null", '"text"', "{}", "{]", "\u0000"])
    if k == 7:
        return json.dumps({"gold": [1, {"a": 2}], "response": {"x": 1}})
    if k == 8:
        return json.dumps({"gold": gold, "response": "<answer>2</answer>"}) + " trailing"
    if k == 9:
        return '{"gold": "2", "response": "a\rb <answer>2</answer>"}'
    if k == 10:
        return json.dumps({"gold": gold, "response": "the answer is " * rng.randrange(1, 300)})
    if k == 11:
        return json.dumps({"gold": gold, "response": "#### 7 " * rng.randrange(1, 200)})
    if k == 12:
        return json.dumps({"gold": gold, "kind": rng.choice(["numeric", "set", "tuple", "interval", "choice", "countdown", "bogus", 7]), "response": f"\\boxed{{{ans}}}"})
    return json.dumps({"gold": "x" * rng.randrange(1, 1000), "response": "\\boxed{" + "x" * rng.randrange(1, 1000) + "}"})

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    for _ in range(n):
        out.write(hostile(rng))
        out.write("\n")

if __name__ == "__main__":
    main()
