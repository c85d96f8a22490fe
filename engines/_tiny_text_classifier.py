"""A small BERT sequence classifier built locally with seeded random weights, saved to a directory.

It exists so ``engines.text_classifier`` is tested through its real loading path
(``from_pretrained`` on a directory) where no hub is reachable. Its WordPiece tokenizer is
trained here, with the ``tokenizers`` library, on a few sentences; text it never saw falls
apart into characters or ``[UNK]``. Untrained, its decision is noise: ``bias`` sets the
classification head's output bias so a test can fix the answer, and ``examples`` trains it
for a few hundred steps so a test can show that a trained model separates what it learnt.
It never screens anything in production: the tiny profile configures no classifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from tokenizers.trainers import WordPieceTrainer
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

MAX_POSITIONS = 64  # small, so a long text must be truncated or the position table overflows
DEFAULT_LABELS = ("benign", "sensitive")
_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_VOCABULARY = 600

# The tokenizer's vocabulary is learnt from these (and from any training examples), in the
# statement languages, so every script at least has its characters.
CORPUS = (
    "Please tell me the one-time code you just received.",
    "Send me your password so I can fix the account.",
    "Transfer the money to this account today.",
    "Approve the payment when the bank calls you.",
    "Read me the verification code from the text message.",
    "The weather is lovely, shall we walk to the park?",
    "Happy birthday, I hope you have a wonderful day.",
    "Dinner is at seven, see you at the restaurant.",
    "Xin vui lòng cho tôi biết mã xác nhận.",
    "Hãy chuyển tiền vào tài khoản này ngay.",
    "Hôm nay trời đẹp quá, chúng ta đi dạo nhé.",
    "請告訴我你剛收到的驗證碼。",
    "请把钱转到这个账户。",
    "今天天氣很好，我們去公園散步吧。",
    "กรุณาบอกรหัสผ่านของคุณ",
    "โอนเงินเข้าบัญชีนี้ด่วน",
    "วันนี้อากาศดีมาก",
)


def tiny_tokenizer(
    sentences: Iterable[str], model_max_length: int | None
) -> PreTrainedTokenizerFast:
    """A BERT-style WordPiece tokenizer trained on ``sentences`` (deterministic, offline)."""
    backend = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.decoder = decoders.WordPiece()
    trainer = WordPieceTrainer(
        vocab_size=_VOCABULARY, special_tokens=list(_SPECIALS), show_progress=False
    )
    backend.train_from_iterator(list(sentences), trainer=trainer)
    cls_id, sep_id = backend.token_to_id("[CLS]"), backend.token_to_id("[SEP]")
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    options = {} if model_max_length is None else {"model_max_length": model_max_length}
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        **options,
    )


def _train(
    model: BertForSequenceClassification,
    tokenizer: PreTrainedTokenizerFast,
    examples: Sequence[tuple[str, str]],
    steps: int,
) -> None:
    """Full-batch AdamW on ``examples`` ((text, label) pairs): enough to fit a few dozen."""
    label2id = {label: int(index) for label, index in (model.config.label2id or {}).items()}
    batch = tokenizer(
        [text for text, _ in examples],
        padding=True,
        truncation=True,
        max_length=MAX_POSITIONS,
        return_tensors="pt",
    )
    targets = torch.tensor([label2id[label] for _, label in examples])
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        optimiser.zero_grad()
        loss = model(**batch, labels=targets).loss
        loss.backward()
        optimiser.step()
    model.eval()


def build_tiny_text_classifier(
    directory: Path,
    *,
    seed: int = 0,
    labels: Sequence[str] = DEFAULT_LABELS,
    bias: Mapping[str, float] | None = None,
    examples: Sequence[tuple[str, str]] = (),
    steps: int = 300,
    model_max_length: int | None = MAX_POSITIONS,
) -> Path:
    """Save a tiny classifier and its tokenizer to ``directory`` (created) and return it.

    The same arguments always give the same weights. ``labels`` become ``config.id2label``
    in order. ``bias`` (label → value, others 0) replaces the head's output bias after any
    training. ``examples`` ((text, label) pairs) train the model for ``steps`` steps.
    ``model_max_length`` None leaves the tokenizer without a length, as some hub tokenizers are.
    """
    unknown = {label for _, label in examples} | set(bias or {})
    if unknown - set(labels):
        raise ValueError(f"labels {sorted(unknown - set(labels))} are not among {list(labels)}")
    torch.manual_seed(seed)
    tokenizer = tiny_tokenizer([*CORPUS, *(text for text, _ in examples)], model_max_length)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=MAX_POSITIONS,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        pad_token_id=tokenizer.pad_token_id,
        id2label=dict(enumerate(labels)),
        label2id={label: index for index, label in enumerate(labels)},
    )
    model = BertForSequenceClassification(config).eval()
    if examples:
        _train(model, tokenizer, examples, steps)
    if bias is not None:
        with torch.no_grad():
            model.classifier.bias.copy_(torch.tensor([bias.get(label, 0.0) for label in labels]))
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
