"""Write a BERT encoder (MiniLM) as an ONNX graph straight from its safetensors weights, without torch.

The graph is the one ``transformers``' ``BertModel`` runs in eager mode, op for op: embeddings (word +
absolute position + token type, then LayerNorm), ``num_hidden_layers`` blocks of self-attention and a
GELU (erf) feed-forward, each followed by a residual LayerNorm. Its output is the last hidden state;
mean pooling and normalisation stay in numpy (``kb.embedding.onnx``). onnxruntime fuses the ops into
its Attention, LayerNorm and Gelu kernels as it does for a torch export, and the vectors match
sentence-transformers to a cosine of 0.99999+ (tests/test_onnx.py).

Only the ``onnx`` package (to write the protobuf) and ``safetensors`` (to read the weights as numpy)
are needed: no torch, no transformers, no network.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import EmbedderError

OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"


@dataclass(frozen=True)
class BertShape:
    """The parts of a BERT ``config.json`` the graph depends on."""

    hidden: int
    heads: int
    layers: int
    eps: float

    @classmethod
    def from_config(cls, path: Path) -> BertShape:
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EmbedderError(f"cannot read the model configuration {path}: {exc}") from exc
        if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
            raise EmbedderError(f"{path}: only BERT encoders with exact GELU are supported")
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise EmbedderError(f"{path}: only absolute position embeddings are supported")
        return cls(
            hidden=int(config["hidden_size"]),
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
        )


def load_weights(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file as numpy arrays, without a ``bert.`` prefix."""
    try:
        from safetensors.numpy import load_file
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EmbedderError(f"building the ONNX model needs safetensors: {exc}") from exc
    try:
        tensors = load_file(str(path))
    except Exception as exc:
        raise EmbedderError(f"cannot read the weights {path}: {exc}") from exc
    return {name.removeprefix("bert."): array for name, array in tensors.items()}


def build_bert_graph(model_dir: Path) -> Any:
    """The ``onnx.ModelProto`` of the encoder in ``model_dir`` (``config.json`` + ``model.safetensors``)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    shape = BertShape.from_config(model_dir / "config.json")
    weights = load_weights(model_dir / "model.safetensors")
    head_size = shape.hidden // shape.heads
    nodes: list[Any] = []
    initializers: list[Any] = []

    def weight(name: str, *, transpose: bool = False) -> str:
        try:
            array = weights[name]
        except KeyError as exc:
            raise EmbedderError(f"{model_dir}: the weights have no tensor {name!r}") from exc
        array = np.ascontiguousarray(array.T if transpose else array, dtype=np.float32)
        initializers.append(numpy_helper.from_array(array, name))
        return name

    def constant(name: str, value: Any, dtype: Any) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def layer_norm(x: str, prefix: str, out: str) -> str:
        return node(
            "LayerNormalization",
            [x, weight(f"{prefix}.weight"), weight(f"{prefix}.bias")],
            out,
            axis=-1,
            epsilon=shape.eps,
        )

    def linear(x: str, prefix: str, out: str) -> str:
        # torch's Linear keeps weights as (out, in); MatMul wants (in, out).
        product = node("MatMul", [x, weight(f"{prefix}.weight", transpose=True)], f"{out}.matmul")
        return node("Add", [product, weight(f"{prefix}.bias")], out)

    # Embeddings: word + position (0..tokens-1) + token type, then LayerNorm.
    one = constant("one_i64", 1, np.int64)
    zero = constant("zero_i64", 0, np.int64)
    ids_shape = node("Shape", ["input_ids"], "ids_shape")
    tokens = node("Gather", [ids_shape, one], "tokens", axis=0)
    positions = node("Range", [zero, tokens, one], "positions")
    summed = node(
        "Add",
        [
            node("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"], "emb.word"),
            node("Gather", [weight("embeddings.token_type_embeddings.weight"), "token_type_ids"], "emb.type"),
        ],
        "emb.word_type",
    )
    summed = node(
        "Add",
        [summed, node("Gather", [weight("embeddings.position_embeddings.weight"), positions], "emb.pos")],
        "emb.sum",
    )
    hidden = layer_norm(summed, "embeddings.LayerNorm", "emb.out")

    # The additive attention mask of eager BERT: 0 where attended, float32 min where padded.
    mask = node("Cast", ["attention_mask"], "mask.float", to=TensorProto.FLOAT)
    inverted = node("Sub", [constant("one_f32", 1.0, np.float32), mask], "mask.inverted")
    additive = node(
        "Mul", [inverted, constant("mask_min", np.finfo(np.float32).min, np.float32)], "mask.additive"
    )
    additive = node("Unsqueeze", [additive, constant("mask_axes", [1, 2], np.int64)], "mask.bias")

    split_heads = constant("split_heads", [0, 0, shape.heads, head_size], np.int64)
    merge_heads = constant("merge_heads", [0, 0, shape.hidden], np.int64)
    scale = constant("scale", 1.0 / math.sqrt(head_size), np.float32)
    sqrt_half = constant("sqrt_half", 1.0 / math.sqrt(2.0), np.float32)
    half = constant("half", 0.5, np.float32)
    one_f = "one_f32"

    for i in range(shape.layers):
        p, n = f"encoder.layer.{i}", f"l{i}"

        def heads(x: str, perm: list[int], out: str) -> str:
            return node("Transpose", [node("Reshape", [x, split_heads], f"{out}.split")], out, perm=perm)

        q = heads(linear(hidden, f"{p}.attention.self.query", f"{n}.q"), [0, 2, 1, 3], f"{n}.qh")
        k = heads(linear(hidden, f"{p}.attention.self.key", f"{n}.k"), [0, 2, 3, 1], f"{n}.kh")
        v = heads(linear(hidden, f"{p}.attention.self.value", f"{n}.v"), [0, 2, 1, 3], f"{n}.vh")
        scores = node("Mul", [node("MatMul", [q, k], f"{n}.qk"), scale], f"{n}.scores")
        probs = node("Softmax", [node("Add", [scores, additive], f"{n}.masked")], f"{n}.probs", axis=-1)
        context = node("Transpose", [node("MatMul", [probs, v], f"{n}.ctx")], f"{n}.ctx_t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge_heads], f"{n}.ctx_merged")
        attended = linear(context, f"{p}.attention.output.dense", f"{n}.attn_out")
        hidden = layer_norm(
            node("Add", [attended, hidden], f"{n}.attn_res"),
            f"{p}.attention.output.LayerNorm",
            f"{n}.attn_ln",
        )
        # GELU, exact: x * 0.5 * (1 + erf(x / sqrt(2))).
        inner = linear(hidden, f"{p}.intermediate.dense", f"{n}.ffn_in")
        erf = node("Erf", [node("Mul", [inner, sqrt_half], f"{n}.gelu_scaled")], f"{n}.gelu_erf")
        gelu = node(
            "Mul",
            [node("Mul", [inner, half], f"{n}.gelu_half"), node("Add", [erf, one_f], f"{n}.gelu_1p")],
            f"{n}.gelu",
        )
        out = linear(gelu, f"{p}.output.dense", f"{n}.ffn_out")
        last = i == shape.layers - 1
        hidden = layer_norm(
            node("Add", [out, hidden], f"{n}.ffn_res"),
            f"{p}.output.LayerNorm",
            OUTPUT if last else f"{n}.out",
        )

    def tokens_input(name: str) -> Any:
        return helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"])

    graph = helper.make_graph(
        nodes,
        "bert_encoder",
        [tokens_input(name) for name in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", "tokens", shape.hidden])],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="kb")
    # onnxruntime reads IR versions up to its own; the one matching the opset is safe for 1.17+.
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model
