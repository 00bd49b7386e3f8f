"""The packaged bash completions offer every command and option each program's --help lists,
and nothing it does not (packaging/completion/). Walks `PROGRAM [COMMAND...] --help` of the
built coffer, cofferd and coffer-admin, and asks bash (with bash-completion) for the
completions of each command path."""
import os
import re
import subprocess
import unittest
from pathlib import Path

BIN_DIR = Path(os.environ["COFFER_BIN_DIR"])
COMPLETIONS = BIN_DIR.parent / "packaging" / "completion"
BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")


def help_of(program, path):
    """(option names, subcommand names) that `program path... --help` lists."""
    out = subprocess.run([str(BIN_DIR / program), *path, "--help"], capture_output=True, text=True, check=True).stdout
    options, commands, section = set(), set(), None
    for line in out.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line[:-1]
            continue
        match = re.match(r"^  (\S+)", line)
        if not match:
            continue
        if section == "Options":
            names = match.group(1).split(",")
            longs = [n for n in names if n.startswith("--")]
            options.update(longs or names)
        elif section == "Subcommands":
            commands.add(match.group(1))
    return options, commands


def completions_of(program, words):
    """What the packaged completion offers for the command line `program words...` (the last
    word being completed)."""
    line = " ".join([program, *words])
    script = f"""
source {BASH_COMPLETION}
source {COMPLETIONS / program}
function=$(complete -p {program} | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')
COMP_WORDS=({program} {' '.join(f"'{w}'" for w in words)})
COMP_CWORD={len(words)}
COMP_LINE='{line}'
COMP_POINT=${{#COMP_LINE}}
"$function"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout
    return {w for w in out.splitlines() if w}


class CompletionTest(unittest.TestCase):
    def walk(self, program):
        root_options, _ = help_of(program, [])
        pending, checked = [[]], 0
        while pending:
            path = pending.pop()
            options, commands = help_of(program, path)
            with self.subTest(program=program, path=path):
                offered = completions_of(program, [*path, "-"])
                # Every option the command lists, and the program's own options (they fall
                # through to it), are offered; nothing else is.
                self.assertEqual(offered, options | root_options)
                if commands:
                    self.assertEqual(completions_of(program, [*path, ""]), commands)
            pending.extend([*path, c] for c in commands)
            checked += 1
        return checked

    def test_coffer(self):
        self.assertGreater(self.walk("coffer"), 15)

    def test_coffer_admin(self):
        self.assertGreater(self.walk("coffer-admin"), 15)

    def test_cofferd(self):
        self.assertEqual(self.walk("cofferd"), 1)


if __name__ == "__main__":
    unittest.main()
