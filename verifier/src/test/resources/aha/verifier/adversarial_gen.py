"""Writes adversarial.jsonl (run from the repository root: python3 verifier/src/test/resources/aha/verifier/adversarial_gen.py).

Each seed is (category, gold, kind, final answer text, strict-policy label); each is wrapped four ways
as a whole model output. The "one final answer" cases are whole outputs already. Deterministic.
"""
import json, random
random.seed(7)
# (category, gold, kind or None, answer text, label)
S = []
def add(cat, gold, ans, label, kind=None): S.append((cat, gold, kind, ans, label))
# numbers and forms
for g, a, l in [("42","42",1),("42","042",1),("42","42.0",1),("0.5","\\frac{1}{2}",1),("\\frac{1}{2}","0.5",1),("1000","1,000",1),("1000","1{,}000",1),
                ("1000","1\\,000",1),("1000","1\\!000",1),("1500","1.5\\times 10^{3}",1),("0.0015","1.5e-3",1),("3","3.0001",0),("\\frac{1}{3}","0.333",0),
                ("3.14","\\pi",0),("\\pi","3.14",0),("2","\\frac{4}{2}",1),("-3","-3",1),("-3","3",0),("\\sqrt{2}","\\frac{2}{\\sqrt{2}}",1),
                ("3^{801}","3\\cdot 3^{800}",1),("2^{100}","1267650600228229401496703205376",1),("2^{100}","1267650600228229401496703205377",0)]:
    add("numbers", g, a, l)
# units and words
for g, a, l in [("10","10\\text{ cm}",1),("5","5\\mathrm{~kg}",1),("3","3\\text{ m/s}",1),("12","12\\text{ apples}",1),("5","5\\text{ square meters}",1),
                ("7","7\\text{ meters per second}",1),("20","\\$20",1),("20","20 dollars",1),("5","\\text{not } 5",0),("5","5\\text{ or six}",0),
                ("7","7\\text{ hundred}",0),("3","3\\text{ squared}",0),("10","\\text{at least } 10",0),("4","\\text{about } 4",0),("6","6\\text{ dozen}",0)]:
    add("units", g, a, l)
# percent
for g, a, l in [("50\\%","50\\%",1),("50\\%","0.5",1),("50\\%","50",1),("0.5","50\\%",1),("50","50\\%",0),("\\frac{1}{2}","\\frac12\\%",0),
                ("5\\%","5\\text{ percent}",1),("25\\%","\\frac{1}{4}",1)]:
    add("percent", g, a, l)
# degrees and trig
for g, a, l in [("\\frac{1}{2}","\\cos 60^\\circ",1),("0.5","\\sin(30^{\\circ})",1),("2","2\\tan 45^\\circ",1),("30","30^\\circ",1),("\\frac{\\pi}{2}","90^\\circ",0),
                ("\\frac{\\pi}{4}","\\arctan 1",1),("\\frac{\\pi}{6}","\\arcsin\\frac{1}{2}",1),("\\frac{\\pi}{2}","\\arccos 0",1),("1","\\sec 0",1),("1","\\cot\\frac{\\pi}{4}",1),("2","\\csc\\frac{\\pi}{6}",1)]:
    add("trig", g, a, l)
# logs and functions
for g, a, l in [("3","\\log_2 8",1),("4","\\log_3 81",1),("3","\\log 1000",1),("2","\\ln e^{2}",1),("3","\\log_2 9",0),("3","\\lfloor 3.7 \\rfloor",1),
                ("4","\\lceil 3.2 \\rceil",1),("5","\\max(1, 5, 3)",1),("2","\\min(2, 7)",1),("6","\\gcd(12, 18)",1),("12","\\operatorname{lcm}(4, 6)",1),("7","g(2)=7",1),("2","g(2)=7",0)]:
    add("functions", g, a, l)
# intervals and tuples
for g, a, l, k in [("(0,1)","(0,1)",1,None),("(0,1)","[0,1]",0,None),("(0,1)","(0,1]",0,None),("[0,1]","[0,1]",1,None),("[0,1]","(0,1)",0,None),
                   ("(0,1]","(0,1]",1,None),("(-\\infty, 2]","(-\\infty,2]",1,None),("(-\\infty, 2]","(-\\infty,2)",0,None),("(1, 2, 3)","[1, 2, 3]",1,"tuple"),
                   ("(3, 4)","(4, 3)",0,None),("(-\\infty, 0) \\cup (1, \\infty)","(1,\\infty)\\cup(-\\infty,0)",1,None)]:
    add("intervals", g, a, l, k)
# sets and plus-minus
for g, a, l in [("\\pm 5","5, -5",1),("\\pm 5","-5, 5",1),("\\pm 5","\\pm 5",1),("\\pm 5","5",0),("1 \\pm \\sqrt{2}","1+\\sqrt{2}, 1-\\sqrt{2}",1),
                ("\\{1, 2\\}","\\{2, 1\\}",1),("\\{1, 2\\}","\\{1, 2, 3\\}",0),("\\{1, 2\\}","x = 1 \\text{ or } x = 2",1)]:
    add("sets", g, a, l)
# matrices, inequalities, repeating decimals
for g, a, l, k in [("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}","\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}",1,None),
                   ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}","\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}",0,None),
                   ("(1, 2, 3)","\\begin{pmatrix}1\\\\2\\\\3\\end{pmatrix}",1,None),
                   ("[-1, \\infty)","x \\ge -1",1,None),("[-1, \\infty)","x > -1",0,None),("(0, 1]","0 < x \\le 1",1,"interval"),
                   ("(-\\infty, 0) \\cup (0, \\infty)","\\mathbb{R}\\setminus\\{0\\}",1,None),
                   ("\\frac{3}{11}","0.\\overline{27}",1,None),("0.27","0.\\overline{27}",0,None),("1","0.\\overline{9}",1,None),
                   ("3+4i","4i+3",1,None),("-1","i^2",1,"expression"),("-i","\\frac{1}{i}",1,None),("2i","(1+i)^2",1,None),("3+4i","3-4i",0,None)]:
    add("structures", g, a, l, k)
# choices
for g, a, l in [("B","B",1),("B","(B)",1),("B","\\text{(B)}",1),("B","(B) 42",1),("B","(B) or (C)",0),("B","(B) and (C)",0),("B","C",0),("B","B, C",0)]:
    add("choice", g, a, l, "choice")
# expressions
for g, a, l in [("x^2+2x+1","(x+1)^2",1),("3^{n+2}","9\\cdot 3^{n}",1),("e^{x+y}","e^{x}e^{y}",1),("2x","x+x",1),("x^2","2x",0),("\\frac{x}{2}","0.5x",1)]:
    add("expressions", g, a, l)

def wrap(ans, style):
    reasoning = random.choice(["Let me work through this carefully.", "First compute the pieces, then combine them.", "We set up the equation and solve it step by step."])
    if style == 0: return f"<think>{reasoning}</think><answer>{ans}</answer>"
    if style == 1: return f"{reasoning}\n\nSo the final answer is $\\boxed{{{ans}}}$."
    if style == 2: return f"{reasoning}\n#### {ans}"
    return f"{reasoning} The answer is ${ans}$."
cases = []
for cat, gold, kind, ans, label in S:
    for style in range(4):
        cases.append({"category": cat, "gold": gold, "kind": kind, "response": wrap(ans, style), "correct": bool(label)})
# contradictions (whole outputs)
contra = [
 ("\\boxed{4}. The answer is 5.", "4", False), ("\\boxed{4}. The answer is 5.", "5", False),
 ("<think>x</think><answer>4</answer><answer>5</answer>", "5", False), ("<think>x</think><answer>5</answer><answer>5</answer>", "5", True),
 ("Computing... #### 7 #### 8", "8", False), ("The answer is 4. The answer is 5.", "5", False), ("The answer is 5. Again, the answer is 5.", "5", True),
 ("I first thought \\boxed{3}.\n\nWait, let me check again. \\boxed{4}", "4", False), ("\\boxed{2} or \\boxed{3}", "3", False),
 ("\\boxed{2} or \\boxed{\\frac{4}{2}}", "2", True), ("<think>maybe 3</think><answer>\\boxed{4}</answer>", "4", True),
 ("<think>the answer is 3</think>The answer is 4.", "4", True), ("\\boxed{5} #### 4", "4", False), ("#### 4\n\n\\boxed{4}", "4", True),
 ("The answer is 18, because 3 \\times 6 = 18.", "18", True), ("The answer is 5, since 2+3 = 5.", "5", True),
 ("<answer>\\boxed{(B) or (C)}</answer>", "B", False), ("#### (B) or (C)", "B", False),
 ("\\boxed{5", "5", False), ("<answer>5", "5", False), ("The total is 5", "5", False),
]
for resp, gold, label in contra:
    for pre in ["", "Let me think.\n", "<think>Work it out.</think>\n"]:
        r = pre + resp if not resp.startswith("<think>") else resp
        cases.append({"category": "one final answer", "gold": gold, "kind": None, "response": r, "correct": label})
# dedupe
seen=set(); out=[]
for c in cases:
    k=(c["gold"],c["response"],c["kind"])
    if k in seen: continue
    seen.add(k); out.append(c)
with open("verifier/src/test/resources/aha/verifier/adversarial.jsonl","w") as f:
    for c in out: f.write(json.dumps(c, ensure_ascii=False)+"\n")
print(len(out))
