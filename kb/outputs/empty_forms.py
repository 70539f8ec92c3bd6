"""An emptiness test, and the true returned on it, in the languages whose spellings the shared
readers (``kb.outputs.compliance``) do not write themselves: Perl's postfix test of an array
(``perl_forms``), Erlang's function clause or case branch on the empty list (``erlang_forms``) and
OCaml's match branch on it (``ocaml_forms``).
"""

from __future__ import annotations

from typing import Final

from kb.outputs import erlang_forms, ocaml_forms, perl_forms

EMPTY_TEST: Final = f"{perl_forms.EMPTY_TEST}|{erlang_forms.EMPTY_TEST}|{ocaml_forms.EMPTY_TEST}"
RETURNS_TRUE: Final = f"{perl_forms.RETURNS_TRUE}|{erlang_forms.RETURNS_TRUE}"
