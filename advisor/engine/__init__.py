"""Stage 2: the rule engine. A pack of declarative rules (loaded and checked once) turns
Requirements into decisions, each with its full trace; nothing is evaluated as code.

Modules, in the order a rule passes through them: decisions (the keys and how rules
combine), facts (what conditions read), conditions and rules (checking and compiling one
rule), index (the compiled form), pack (loading a directory), evaluate, explain, examples.
"""

from advisor.engine.decisions import DECISIONS, DERIVED, DecisionSpec
from advisor.engine.evaluate import Decision, Evaluation, Finding, evaluate
from advisor.engine.pack import RulePack, default_pack_dir, load_pack, locate_rule
from advisor.engine.rules import Reference, Rule

__all__ = ["DECISIONS", "DERIVED", "Decision", "DecisionSpec", "Evaluation", "Finding", "Reference", "Rule",
           "RulePack", "default_pack_dir", "evaluate", "load_pack", "locate_rule"]
