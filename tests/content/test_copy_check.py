"""No text of the launch content repeats 8 or more consecutive words of a seed article.

Every string field of fixtures/launch_content.json is checked (names, summaries, bodies,
actions, dosage notes, steps, relation notes, source notes) except Source titles, which a
citation must repeat. The seeds are not read: seed_shingles.txt holds hashes of their 8-word
runs (make_seed_shingles.py regenerates it).
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.content.make_seed_shingles import RUN, SHINGLES, shingles, words

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "launch_content.json"
CITATION_FIELDS = {("content_app.source", "title")}


def seed_shingles():
    lines = SHINGLES.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


SEED_SHINGLES = seed_shingles()


def text_fields(objects):
    """(label, text) of every string field the check covers."""
    for obj in objects:
        for field, value in obj["fields"].items():
            if isinstance(value, str) and (obj["model"], field) not in CITATION_FIELDS:
                label = f"{obj['model'].removeprefix('content_app.')}:{obj['pk']}.{field}"
                yield label, value


def shared_runs(text, seed=SEED_SHINGLES):
    """The maximal runs of RUN or more words of `text` that also occur in a seed."""
    tokens = words(text)
    starts = [i for i, h in shingles(tokens) if h in seed]
    runs = []
    for i in starts:
        if runs and i <= runs[-1][1]:  # overlaps the previous match: extend it
            runs[-1][1] = i + RUN
        else:
            runs.append([i, i + RUN])
    return [" ".join(tokens[a:b]) for a, b in runs]


def copied_runs(objects):
    return [(label, run) for label, text in text_fields(objects) for run in shared_runs(text)]


@pytest.fixture(scope="module")
def launch_objects():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_the_shingle_file_covers_both_seeds():
    header = SHINGLES.read_text(encoding="utf-8").splitlines()[:4]

    assert sum(line.startswith("#   0") for line in header) == 2
    assert len(SEED_SHINGLES) > 3000  # about one per word of the two articles


def test_no_text_field_shares_eight_consecutive_words_with_a_seed(launch_objects):
    assert len(list(text_fields(launch_objects))) > 400

    assert copied_runs(launch_objects) == []


# --- The check can fail ----------------------------------------------------------------------

# Sentences of the seeds, quoted here (in the test, not in the content) to prove they are caught.
SEED_000_SENTENCE = (
    "The most common cause for pain at the back of your knee is an overuse of your knee."
)
SEED_001_SENTENCE = (
    "Posterior knee pain during exercise is a common complaint, often stemming from issues "
    "with the muscles, tendons, ligaments, or other structures"
)


def injected(objects, model, field, text):
    objects = json.loads(json.dumps(objects))
    target = next(obj for obj in objects if obj["model"] == f"content_app.{model}")
    target["fields"][field] += " " + text
    return objects


@pytest.mark.parametrize(
    ("model", "field", "sentence"),
    [
        ("cause", "body", SEED_000_SENTENCE),
        ("exercisestep", "text", SEED_001_SENTENCE),
        ("source", "note", SEED_000_SENTENCE),
    ],
)
def test_a_seed_sentence_injected_into_any_text_field_is_caught(
    launch_objects, model, field, sentence
):
    before = copied_runs(launch_objects)
    after = copied_runs(injected(launch_objects, model, field, sentence))
    new = [found for found in after if found not in before]

    assert len(new) == 1
    label, run = new[0]
    assert label.startswith(f"{model}:") and label.endswith(f".{field}")
    assert len(run.split()) >= len(words(sentence)) - 1


def test_curly_apostrophes_and_punctuation_do_not_hide_a_copy():
    # The seed writes "It’s one of the less serious knee pain problems you can have."
    assert shared_runs("It's one of the less-serious KNEE-PAIN problems, you see")
    assert shared_runs("it’s one of the less serious knee pain problems")


def test_seven_shared_words_pass_and_source_titles_are_citations(launch_objects):
    assert shared_runs("we massage the back of your knee hamstring") == []  # 7 of 000's words
    assert shared_runs("we massage the back of your knee hamstring and") != []  # 8

    title = next(obj for obj in launch_objects if obj["model"] == "content_app.source")
    assert shared_runs(title["fields"]["title"])  # repeats the article's title...
    assert copied_runs([title]) == []  # ...and is excepted as a citation
