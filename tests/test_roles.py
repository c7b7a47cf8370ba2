"""Tests for analysis/measure/roles.py (who is cast as hero, villain, victim), its count, figure and evaluation."""

import json

import numpy as np
import pandas as pd
import pytest
from helpers import corpus_of

from analysis.count.roles import roles_by_outlet
from analysis.measure.actors import find_mentions
from analysis.measure.roles import (
    ROLES,
    cue_hits,
    find_roles,
    load_cues,
    rule_probabilities,
)
from analysis.run import roles_eval
from analysis.run.cli import main
from analysis.show.role_plots import roles_figure, top_cast

ACTORS = pd.DataFrame([
    {"id": "russia", "name": "Russia", "kind": "state", "aliases": "Russia|Russian forces"},
    {"id": "ukraine", "name": "Ukraine", "kind": "state", "aliases": "Ukraine"},
    {"id": "kharkiv", "name": "Kharkiv", "kind": "other", "aliases": "Kharkiv"},
    {"id": "civilians", "name": "civilians", "kind": "group", "aliases": "civilians"},
    {"id": "rescuers", "name": "rescuers", "kind": "group", "aliases": "rescuers"},
    {"id": "zelenskyy", "name": "Volodymyr Zelenskyy", "kind": "person", "aliases": "Volodymyr Zelenskyy",
     "surnames": "Zelenskyy"},
    {"id": "exxon", "name": "Exxon", "kind": "organization", "aliases": "Exxon"},
    {"id": "farmers", "name": "farmers", "kind": "group", "aliases": "farmers"},
])


def roles_of(tmp_path, *paragraphs, method="rules", cues=None):
    corpus = corpus_of(tmp_path, *paragraphs)
    table = find_roles(corpus.sentences, find_mentions(corpus, ACTORS), method=method, cues=cues)
    return dict(zip(table["actor"], table["role"])), table


def test_harm_verbs_cast_agent_as_villain_and_those_harmed_as_victims(tmp_path):
    roles, _ = roles_of(tmp_path, "Russian forces shelled Kharkiv, killing civilians.")
    assert roles == {"russia": "villain", "kharkiv": "victim", "civilians": "victim"}


def test_thanked_rescuers_are_heroes(tmp_path):
    roles, table = roles_of(tmp_path, "Volodymyr Zelenskyy arrived in the city on Monday. "
                                      "Zelenskyy thanked the rescuers who pulled families from the rubble.")
    assert roles["rescuers"] == "hero"
    assert roles["zelenskyy"] == "none"  # thanking casts the one thanked, not the speaker
    assert table.set_index("actor").loc["rescuers", "evidence"].startswith("thank (patient)")


def test_passive_turns_round(tmp_path):
    roles, _ = roles_of(tmp_path, "Dozens of civilians were killed by Russian forces near the border.")
    assert roles == {"civilians": "victim", "russia": "villain"}


def test_a_negated_cue_casts_no_one(tmp_path):
    roles, table = roles_of(tmp_path, "Ukraine said Russia did not attack Kharkiv overnight.")
    assert set(roles.values()) == {"none"}
    assert (table["n_cues"] == 0).all()


def test_helpers_are_heroes_and_the_helped_victims(tmp_path):
    roles, _ = roles_of(tmp_path, "Drought has left farmers struggling. Exxon helped farmers rebuild their wells.")
    assert roles == {"farmers": "victim", "exxon": "hero"}


def test_cue_file_is_editable(tmp_path):
    sentence = "Exxon poisoned the river that farmers drink from, a court heard."
    cues = pd.DataFrame([{"cue": "shortchange", "role": "villain", "kind": "agent"}])
    roles, _ = roles_of(tmp_path / "a", "Exxon shortchanged farmers again.")
    assert roles["exxon"] == "none"
    roles, _ = roles_of(tmp_path / "b", "Exxon shortchanged farmers again.", cues=cues)
    assert roles["exxon"] == "villain"
    assert roles_of(tmp_path / "c", sentence)[0]["exxon"] == "villain"
    with pytest.raises(ValueError, match="unknown cue role"):
        load_cues(pd.DataFrame([{"cue": "save", "role": "saviour", "kind": "agent"}]))


def test_rule_probabilities_rank_none_first_without_a_cue():
    p = rule_probabilities([[0, 0, 0], [0, 1, 0], [0, 2, 1]])
    assert np.allclose(p.sum(axis=1), 1)
    assert p[0].argmax() == 3 and p[1].argmax() == 1 and p[2].argmax() == 1
    assert p[2, 1] > p[1, 1]  # two agreeing cues say more than one


def test_model_always_picks_a_role_with_probabilities(tmp_path):
    roles, table = roles_of(tmp_path, "Russian forces shelled Kharkiv, killing civilians.", method="model")
    assert set(roles.values()) <= set(ROLES)
    probs = table[["p_hero", "p_villain", "p_victim", "p_none"]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-3) and (table["p_none"] == 0).all()
    assert (table["confidence"] == probs.max(axis=1)).all()
    assert (table["method"] == "model").all()
    assert roles["civilians"] == "victim"


def test_cue_hits_read_where_the_actor_stands(tmp_path):
    corpus = corpus_of(tmp_path, "Vulnerable farmers suffer as Exxon pollutes the river.")
    hits = cue_hits(corpus.sentences, find_mentions(corpus, ACTORS))
    got = set(zip(hits["actor"], hits["cue"], hits["kind"], hits["role"]))
    assert ("farmers", "vulnerable", "modifier", "victim") in got
    assert ("farmers", "suffer", "agent", "victim") in got
    assert ("exxon", "pollute", "agent", "villain") in got


def _roles_table():
    rows = [("Exxon", "a", "villain")] * 4 + [("Exxon", "a", "none")] + [("Exxon", "b", "hero")] * 2 + \
           [("farmers", "a", "victim")] * 3
    return pd.DataFrame(rows, columns=["name", "outlet", "role"]).assign(method="rules")


def test_roles_by_outlet_shares_articles_with_intervals():
    table = roles_by_outlet(_roles_table(), min_n=3).set_index(["name", "outlet", "role"])
    cell = table.loc[("Exxon", "a", "villain")]
    assert (cell["n_articles"], cell["k"], cell["share"]) == (5, 4, 0.8)
    assert cell["ci_low"] <= 0.8 <= cell["ci_high"] and not cell["small_n"]
    assert table.loc[("Exxon", "b", "hero"), "small_n"]
    assert table.loc[("Exxon", "a", "hero"), "k"] == 0


def test_roles_figure_has_one_row_per_outlet():
    summary = roles_by_outlet(_roles_table(), min_n=3)
    top = top_cast(summary, n_actors=1)
    assert top[(top["outlet"] == "a") & (top["role"] == "villain")]["name"].tolist() == ["Exxon"]
    fig = roles_figure(summary)
    panels = [ax for ax in fig.axes if ax.axison]  # after the blank header that carries the subtitle
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["a", "b"]
    assert [ax.get_title(loc="left") for ax in panels] == list(ROLES)


def test_registry_merges_variants_and_skips_pronouns():
    item = {"id": "t:1", "text": "President Donald Trump left the Paris Agreement. Trump said they lied.",
            "roles": [{"entity": "president donald trump", "role": "villain"},
                      {"entity": "trump", "role": "villain"}, {"entity": "they", "role": "villain"},
                      {"entity": "the Paris agreement", "role": "victim"}]}
    actors, of_entity = roles_eval.registry(item)
    assert of_entity["trump"] == of_entity["president donald trump"]
    assert "they" not in of_entity
    assert len(actors) == 2


def _task(tmp_path, lines):
    path = tmp_path / "roles.jsonl"
    path.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n", encoding="utf-8")
    return str(path)


ITEMS = [
    {"id": "t:1", "text": "Wildfires destroyed homes across the valley. Firefighters saved the town of Paradise.",
     "roles": [{"entity": "wildfires", "role": "villain"}, {"entity": "firefighters", "role": "hero"},
               {"entity": "Paradise", "role": "victim"}, {"entity": "they", "role": "victim"}]},
    {"id": "t:2", "text": "Exxon polluted the river for years, and farmers suffer the losses.",
     "roles": [{"entity": "Exxon", "role": "villain"}, {"entity": "farmers", "role": "victim"}]},
]


def test_evaluate_roles_prints_the_figures_on_its_last_line(tmp_path, capsys):
    path = _task(tmp_path, ITEMS)
    assert main(["evaluate-roles", path, "--method", "rules"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == ("accuracy=1.000 F1m=1.000 hero=1.000 villain=1.000 victim=1.000 coverage=1.000 n=5")
    assert "1 pronoun entities skipped" in out[0]
    assert main(["evaluate-roles", path, "--method", "majority"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("accuracy=0.400 ")


def test_evaluate_roles_rejects_a_malformed_line(tmp_path, capsys):
    path = _task(tmp_path, [ITEMS[0], '{"id": "t:3", "text": "x", "roles": [{"entity": "EPA", "role": "boss"}]}'])
    assert main(["evaluate-roles", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "line 2" in err and "Traceback" not in err


def test_the_model_casts_no_role_without_a_cue(tmp_path):
    # Ukraine is named in passing: the model leans one way (p_*), but no cue reaches it, so the table says none.
    roles, table = roles_of(tmp_path, "Russian forces shelled Kharkiv. Officials in Ukraine met on Monday.",
                            method="model")
    row = table.set_index("actor").loc["ukraine"]
    assert roles["ukraine"] == "none" and row["n_cues"] == 0
    assert row[["p_hero", "p_villain", "p_victim"]].sum() == pytest.approx(1, abs=1e-3)
    assert roles["russia"] in ROLES and roles["kharkiv"] in ROLES
