"""Editorial text the code creates: the fixed privacy notice, and the helpers below that build Wagtail's
raw block format (the demo material, demo/material.py, is written with them too).

Each module holds data only (titles, intros and StreamField bodies in Wagtail's raw block format),
one dict per language, so that translators and reviewers read prose rather than code.
"""


def block(block_type, value):
    return {"type": block_type, "value": value}


def paragraph(*sentences):
    return block("paragraph", "".join(f"<p>{sentence}</p>" for sentence in sentences))


def bullet_list(intro, items):
    entries = "".join(f"<li>{item}</li>" for item in items)
    return block("paragraph", f"<p>{intro}</p><ul>{entries}</ul>")


def heading(text, level="h2"):
    return block("heading", {"text": text, "level": level})


def callout(kind, title, text):
    return block("callout", {"kind": kind, "title": title, "text": f"<p>{text}</p>"})


def warning_signs(title, signs, intro=""):
    return block("warning_signs", {"title": title, "intro": intro, "signs": list(signs)})


def steps(title, items):
    return block("steps", {"title": title, "steps": [{"title": t, "text": x} for t, x in items]})


def faq(title, items):
    return block(
        "faq", {"title": title, "questions": [{"question": q, "answer": f"<p>{a}</p>"} for q, a in items]}
    )


def contact(title, text=""):
    return block("contact", {"title": title, "text": text})


def testimony(quote, name, place=""):
    return block("testimony", {"quote": quote, "name": name, "place": place})
