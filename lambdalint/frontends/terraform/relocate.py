"""Findings on a lowered Terraform configuration moved to the `.tf` line the user edits.

A finding about a property lands where the block wrote it (configuration.Block.where: the
attribute, or for a value from a variable its default or tfvars line; the block's own line
for a provider default), names the block by its address (`resource` and `origin`), and says
the address where its message named the logical ID the lowering made up, and the argument
where it named the CloudFormation property (`BatchSize 20000` -> `batch_size 20000`). A value a
module call passed in lands at the call's argument, and `generated` keeps the module's own line
that uses it (Block.generated_at); otherwise `generated` stays empty. Then the configuration's
own suppressions apply: `# lambdalint:ignore LL6001 reason` above a block or attribute
(configuration.Ignore); `unused_ignores` reports those that suppressed nothing (LL0010).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Collection, Dict, List, Optional, Sequence, Set, Tuple

from ...config import is_known_pattern, unknown_rule_message
from ...findings import Finding, Origin, Place
from ...model.suppressions import is_rule_pattern
from ...own_rules import UNUSED_SUPPRESSION
from ...rule import matches_any
from ...suppress import is_judged
from .lower import Lowering
from .shapes import SHAPES

KIND = "terraform"


def relocate(findings: Sequence[Finding], model: Any, used: Optional[Set[Tuple[Any, ...]]] = None) -> List[Finding]:
    """The findings at their `.tf` places, without those an ignore comment covers; `used` gets
    the key (`ignore_key`) of every comment that covered one."""
    lowering: Lowering = model.terraform
    rename = _renamer(lowering.addresses)
    blocks: Dict[str, Any] = {}  # an index made once, not a scan of every block per finding
    for written in lowering.configuration.blocks:
        blocks.setdefault(written.address, written)  # the first of an address, as Configuration.block finds
    moved = []
    for finding in findings:
        place = lowering.place(finding.path) if finding.path else (
            (lowering.addresses[finding.resource], ()) if finding.resource in lowering.addresses else None)
        if place is None:
            moved.append(_at_root_module(finding.replace(message=terraform_words(rename(finding.message))), lowering))
            continue
        address, value_path = place
        block = blocks.get(address)
        if block is None:
            moved.append(finding.replace(message=terraform_words(rename(finding.message))))
            continue
        covering = [ignore for ignore in block.ignores if _covers(ignore, finding.rule, value_path)]
        if covering:
            if used is not None:
                used.update(ignore_key(ignore) for ignore in covering)
            continue
        position = block.where(value_path)
        written = block.generated_at(value_path)
        generated = Place(written.file, written.line, written.column) if written else None
        message = terraform_words(_argument_names(block.type)(rename(finding.message)))
        moved.append(finding.replace(file=position.file, line=position.line, column=position.column,
                                     resource=address, origin=Origin(KIND, address), message=message,
                                     generated=generated))
    return moved


def invalid_ignores(configuration: Any, known_rules: Collection[str], rule: Any) -> List[Finding]:
    """`rule` (LL0005) at each `# lambdalint:ignore` entry that is no rule ID or prefix, or names no
    rule lambdalint knows: it suppresses nothing (the comment's other entries still apply), as
    for an entry of a Metadata ignore list (lambdalint.model.suppressions)."""
    found: Dict[Tuple[Any, ...], Finding] = {}
    for block in configuration.blocks:
        for ignore in block.ignores:
            position = ignore.position
            for entry in ignore.rules:
                key = (position.file, position.line, position.column, entry)
                if key in found:
                    continue
                if not is_rule_pattern(entry):
                    message = f"{entry!r} in `# lambdalint:ignore` is not a rule ID or prefix (e.g. LL5002 or LL5)"
                elif not is_known_pattern(entry, known_rules):
                    message = unknown_rule_message(entry, "`# lambdalint:ignore`", sorted(known_rules))
                else:
                    continue
                found[key] = Finding(file=position.file, line=position.line, column=position.column, rule=rule.id,
                                     severity=rule.severity, message=message, resource=block.address,
                                     origin=Origin(KIND, block.address))
    return list(found.values())


def _at_root_module(finding: Finding, lowering: Lowering) -> Finding:
    """A finding about no block (a rule that raised: LL0007) at line 1 of the root module's first
    file, as on a template at its first line: the lowered template it was raised on is no file
    the user has, and a folder is no place an editor or a code-scanning upload can show."""
    files = lowering.configuration.files
    if finding.file != lowering.document.name or not files:
        return finding
    return finding.replace(file=files[0], line=1, column=1)


def ignore_key(ignore: Any) -> Tuple[Any, ...]:
    """One comment, whichever block instance (count, for_each, a module called twice) carries it."""
    return (ignore.position.file, ignore.position.line, ignore.position.column, tuple(ignore.rules))


def unused_ignores(configuration: Any, used: Set[Tuple[Any, ...]], ran: Collection[str],
                   checked: Collection[str]) -> List[Finding]:
    """LL0010 at each ignore comment that covered no finding of any block instance it is on.

    As for Metadata (lambdalint.suppress.unused_suppressions), a comment is judged only when every
    rule it names ran on the configuration (`ran`; `checked`: every rule with a check), one that
    names LL0010 is never reported, and an ignore of LL0010 above the block or attribute silences it.
    """
    found: Dict[Tuple[Any, ...], Finding] = {}
    for block in configuration.blocks:
        for ignore in block.ignores:
            key = ignore_key(ignore)
            if key in used or key in found or not is_judged(tuple(ignore.rules), ran, checked):
                continue
            if any(_covers(other, UNUSED_SUPPRESSION.id, ignore.path) for other in block.ignores):
                continue
            where = block.address if not ignore.path else \
                f"argument {'.'.join(str(part) for part in ignore.path)} of {block.address}"
            position = ignore.position
            found[key] = Finding(
                file=position.file, line=position.line, column=position.column, rule=UNUSED_SUPPRESSION.id,
                severity=UNUSED_SUPPRESSION.severity, resource=block.address, origin=Origin(KIND, block.address),
                message=f"`# lambdalint:ignore {','.join(ignore.rules)}` on {where} suppressed nothing in this "
                        "run: remove it")
    return list(found.values())


def _covers(ignore: Any, rule: str, value_path: Sequence[Any]) -> bool:
    """An ignore above a block covers the whole block; above an attribute, what is below it."""
    path = tuple(ignore.path)
    return matches_any(rule, tuple(ignore.rules)) and tuple(value_path)[:len(path)] == path


def _renamer(addresses: Dict[str, str]) -> Any:
    """Text with each logical ID of the lowering replaced by its block's address."""
    if not addresses:
        return lambda text: text
    names = sorted(addresses, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")

    def rename(text: str) -> str:
        return pattern.sub(lambda match: addresses[match.group(1)], text)

    return rename


# What a CloudFormation message calls the template and its deployment, as a Terraform user says it.
_TERRAFORM_PHRASES = {
    "updating the stack": "applying the configuration again",
    "in the template": "in the configuration",
    "outside this template": "outside this configuration",
    "the template's functions": "the configuration's functions",
}
terraform_words = _renamer(_TERRAFORM_PHRASES)

# One-word properties that rules' messages write capitalized only as the property (`Timeout 1800 s
# is outside 1-900 s`, `cannot set Runtime`); others (`Name`, `State`, `Mode`) may start a sentence.
_ONE_WORD_PROPERTIES = frozenset({"Timeout", "Runtime", "Handler", "Architectures", "Layers", "Role", "Description"})


@functools.cache
def _argument_names(block_type: str) -> Callable[[str], str]:
    """Text with the CloudFormation property names of a block type's shape replaced by its argument
    names: names of two words or more (`MemorySize`, `BatchSize`), and the one-word ones of
    _ONE_WORD_PROPERTIES; other one-word ones (`Name`, `Mode`) are also plain words of a sentence."""
    shape = SHAPES.get(block_type)
    names: Dict[str, str] = {}
    for source, target, _ in shape.arguments if shape is not None else ():
        prop, argument = target.split(".")[-1], source.split(".")[-1]
        named = sum(letter.isupper() for letter in prop) >= 2 or ("." not in target and prop in _ONE_WORD_PROPERTIES)
        if named and prop not in names and not argument.isdigit():
            names[prop] = argument
        if "." in target and "*" not in target:  # `EphemeralStorage.Size` -> `ephemeral_storage.size`
            names.setdefault(target, ".".join(part for part in source.split(".") if not part.isdigit()))
    return _renamer(names)


def origin_of(model: Any, logical_id: str) -> Optional[dict]:
    address = model.terraform.addresses.get(logical_id)
    return {"kind": KIND, "name": address} if address else None
