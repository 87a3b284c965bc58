# Tiny tokenizers for the fixture models: a byte-level BPE (GPT-2 style) learned from CORPUS and an
# uncased WordPiece (BERT style), each with a Python encoder and a Hugging Face tokenizer.json builder.
import unicodedata
from collections import Counter

# A short English text written for these fixtures; the BPE merges and WordPiece words come from it.
CORPUS = (
    "He sat on the river's bank and watched the water. She deposited the cheque at the bank, "
    "then she sat on a bench by the river. The bank on the river holds money; the river holds water. "
    "He said the bank's money was safe, but the river's water was cold. She walked to the bank at noon "
    "and deposited her money. He deposited a cheque too. The water rose on the bank of the river, and "
    "the money stayed at the bank. She's at the river; he's at the bank. They sat, they talked, they "
    "watched the boats on the water. In 2024 the bank paid 3 percent on money. The river ran past the "
    "old bank, and the old man sat on the bank of the river with his dog. She said: \"The cheque is at "
    "the bank!\" He said the water of the river was deep and the money at the bank was safe. "
    "Where is the bank? It's on the other side of the river, near the water mill. The man with the "
    "cheque sat by the water and counted his money. She wrote another cheque, and he deposited it at "
    "the bank on Monday. The river's banks were green; the bank's doors were red. "
    "Every morning the ferryman carried people across the river to the market town. The town had one "
    "bank, two bakeries, a school, and a long street of small shops. People brought their money to the "
    "bank and their bread from the bakery. The teacher told the children that a river bank and a money "
    "bank are different things that share one word. The children laughed and asked whether the fish "
    "kept their money in the river bank. When the rain came in autumn, the river grew wide and brown, "
    "and the water climbed the bank until it reached the road. The people moved their boats, their "
    "carts, and their animals away from the water. The banker counted the coins and wrote the numbers "
    "in a heavy book. Nobody wanted to lose their savings, so everyone watched the river and waited. "
    "After three days the rain stopped, the water went down, and the sun came back. The children ran "
    "to the river again. She opened an account at the bank and deposited twenty coins. He asked the "
    "clerk for a new cheque book, because his old cheque book was full. The clerk smiled and gave him "
    "one. Later that evening they walked along the river, talking about the weather, the harvest, the "
    "market, and the price of bread. The moon rose over the water and the bank was quiet. "
    "In the spring the farmers planted wheat along the river, and the children helped them carry the "
    "seeds. The banker lent money to the farmers, and the farmers promised to pay the money back after "
    "the harvest. Some years the harvest was good and everyone was happy; other years the river flooded "
    "the fields and the farmers could not pay. Then the banker waited, because he knew the farmers were "
    "honest people. The teacher wrote the story of the town in a small notebook, with the names of the "
    "people, the dates of the floods, and the prices of wheat and bread. She said that the river gives "
    "and the river takes, and that a town must learn to live with its water. The children listened "
    "carefully, and some of them became farmers, some became teachers, and one of them became the new "
    "banker when the old banker retired. He kept the old book of numbers, and he still counted the "
    "coins every evening, just as the old banker had done. People said the bank was as old as the "
    "river, which was not true, but they liked to say it anyway. On quiet evenings the new banker "
    "walked to the river, sat on the bank, and watched the water carry leaves and light toward the sea. "
)

# ---------------------------------------------------------------- byte-level BPE (GPT-2 style)


def bytes_to_unicode() -> list:
    """GPT-2's byte -> printable character table, as a list of (byte, char) in GPT-2's vocab order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [(b, chr(c)) for b, c in zip(bs, cs)]


BYTE_TO_CHAR = dict(bytes_to_unicode())
CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def _cls(ch: str) -> str:
    """Character class for the GPT-2 pattern: 'L' letter, 'N' number, 'S' whitespace, 'O' other."""
    if ch.isspace():
        return "S"
    cat = unicodedata.category(ch)
    return "L" if cat[0] == "L" else "N" if cat[0] == "N" else "O"


def gpt2_pretokenize(text: str) -> list:
    """Hand-written equivalent of the GPT-2 regex (no `regex` module here):
    's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"""
    out, i, n = [], 0, len(text)
    while i < n:
        c = next((c for c in CONTRACTIONS if text.startswith(c, i)), None)
        if c:
            out.append(c)
            i += len(c)
            continue
        j = i + 1 if text[i] == " " and i + 1 < n and _cls(text[i + 1]) != "S" else i
        k = _cls(text[j])
        if k != "S":  # ` ?\p{L}+`, ` ?\p{N}+` or ` ?[^\s\p{L}\p{N}]+`: one run of the same class
            e = j + 1
            while e < n and _cls(text[e]) == k:
                e += 1
        else:  # `\s+(?!\S)` (leave the last space for the next word), else `\s+`
            e = i
            while e < n and _cls(text[e]) == "S":
                e += 1
            if e < n and e - i > 1:
                e -= 1
        out.append(text[i:e])
        i = e
    return out


def _to_symbols(word: str) -> tuple:
    return tuple(BYTE_TO_CHAR[b] for b in word.encode("utf-8"))


def train_bpe(text: str, max_merges: int, min_frequency: int = 2) -> list:
    """Classic BPE training: repeatedly merge the most frequent adjacent pair (ties: smallest pair)."""
    words = Counter(_to_symbols(w) for w in gpt2_pretokenize(text))
    merges = []
    while len(merges) < max_merges:
        pairs = Counter()
        for w, f in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += f
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < min_frequency:
            break
        merges.append(best)
        merged = Counter()
        for w, f in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += f
        words = merged
    return merges


class ByteBPE:
    EOT = "<|endoftext|>"

    def __init__(self, merges: list):
        self.merges = merges
        self.ranks = {m: r for r, m in enumerate(merges)}
        vocab = [c for _, c in bytes_to_unicode()] + [a + b for a, b in merges]
        assert len(set(vocab)) == len(vocab), "duplicate BPE token"
        vocab.append(self.EOT)
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.eot_id = self.vocab[self.EOT]

    def _bpe(self, word: str) -> list:
        syms = list(_to_symbols(word))
        while len(syms) > 1:
            pairs = [(self.ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(syms, syms[1:]))]
            rank, i = min(pairs)
            if rank == 1 << 30:
                break
            pair = (syms[i], syms[i + 1])
            out, j = [], 0
            while j < len(syms):
                if j + 1 < len(syms) and (syms[j], syms[j + 1]) == pair:
                    out.append(syms[j] + syms[j + 1])
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            syms = out
        return syms

    def encode(self, text: str) -> list:
        ids = []
        for pi, part in enumerate(text.split(self.EOT)):
            if pi:
                ids.append(self.eot_id)
            for word in gpt2_pretokenize(part):
                ids.extend(self.vocab[s] for s in self._bpe(word))
        return ids

    def tokenizer_json(self) -> dict:
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.eot_id, "content": self.EOT, "single_word": False, "lstrip": False,
                 "rstrip": False, "normalized": True, "special": True}
            ],
            "normalizer": None,
            "pre_tokenizer": byte_level,
            "post_processor": {**byte_level, "add_prefix_space": True, "trim_offsets": False},
            "decoder": {**byte_level, "add_prefix_space": True},
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                "vocab": self.vocab, "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    def tokenizer_config(self, max_len: int) -> dict:
        return {
            "add_prefix_space": False,
            "added_tokens_decoder": {str(self.eot_id): {"content": self.EOT, "lstrip": False, "normalized": True,
                                                        "rstrip": False, "single_word": False, "special": True}},
            "bos_token": self.EOT, "clean_up_tokenization_spaces": True, "eos_token": self.EOT,
            "model_max_length": max_len, "tokenizer_class": "GPT2Tokenizer", "unk_token": self.EOT,
        }


# ---------------------------------------------------------------- uncased WordPiece (BERT style)

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
# Words that stay out of the vocabulary so that WordPiece has to split them.
SPLIT_WORDS = {"deposited", "cheque"}
EXTRA_PIECES = ["deposit", "##ed", "##ing", "##que"]


def _is_punct(ch: str) -> bool:
    o = ord(ch)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(o: int) -> bool:
    return any(a <= o <= b for a, b in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
                                          (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)])


def bert_normalize(text: str) -> str:
    """BertNormalizer(clean_text, handle_chinese_chars, strip_accents = lowercase, lowercase)."""
    out = []
    for ch in text:
        o = ord(ch)
        if o == 0 or o == 0xFFFD or (ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Co")):
            continue
        if ch.isspace():
            out.append(" ")
        elif _is_cjk(o):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    text = unicodedata.normalize("NFD", "".join(out))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()


def bert_pretokenize(text: str) -> list:
    """BertPreTokenizer: split on whitespace, then isolate every punctuation character."""
    words = []
    for chunk in text.split():
        cur = ""
        for ch in chunk:
            if _is_punct(ch):
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
    return words


class WordPiece:
    def __init__(self, text: str, min_count: int = 2):
        words = bert_pretokenize(bert_normalize(text))
        chars = sorted(set("".join(words)) | set("abcdefghijklmnopqrstuvwxyz0123456789"))
        counts = Counter(w for w in words if len(w) > 1 and w.isalpha() and w not in SPLIT_WORDS)
        common = sorted(w for w, c in counts.items() if c >= min_count)
        conts = ["##" + c for c in chars if c.isalnum()]
        tokens = SPECIALS + chars + conts + common + [p for p in EXTRA_PIECES if p not in common]
        assert len(set(tokens)) == len(tokens), "duplicate WordPiece token"
        self.vocab = {t: i for i, t in enumerate(tokens)}

    def _word(self, word: str) -> list:
        if len(word) > 100:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = ("##" if start else "") + word[start:end]
                if piece in self.vocab:
                    break
                end -= 1
            if end == start:
                return ["[UNK]"]
            pieces.append(piece)
            start = end
        return pieces

    def encode(self, text: str) -> list:
        pieces = [p for w in bert_pretokenize(bert_normalize(text)) for p in self._word(w)]
        return [self.vocab["[CLS]"]] + [self.vocab[p] for p in pieces] + [self.vocab["[SEP]"]]

    def tokenizer_json(self) -> dict:
        cls, sep = self.vocab["[CLS]"], self.vocab["[SEP]"]
        seq = lambda s, t: {"Sequence": {"id": s, "type_id": t}}
        spec = lambda s, t: {"SpecialToken": {"id": s, "type_id": t}}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.vocab[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": False, "special": True}
                for s in SPECIALS
            ],
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": None, "lowercase": True},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [spec("[CLS]", 0), seq("A", 0), spec("[SEP]", 0)],
                "pair": [spec("[CLS]", 0), seq("A", 0), spec("[SEP]", 0), seq("B", 1), spec("[SEP]", 1)],
                "special_tokens": {
                    "[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                    "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]},
                },
            },
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": self.vocab},
        }

    def tokenizer_config(self, max_len: int) -> dict:
        return {
            "added_tokens_decoder": {
                str(self.vocab[s]): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                                     "single_word": False, "special": True}
                for s in SPECIALS
            },
            "clean_up_tokenization_spaces": True, "cls_token": "[CLS]", "do_lower_case": True,
            "mask_token": "[MASK]", "model_max_length": max_len, "pad_token": "[PAD]", "sep_token": "[SEP]",
            "strip_accents": None, "tokenize_chinese_chars": True, "tokenizer_class": "BertTokenizer",
            "unk_token": "[UNK]",
        }
