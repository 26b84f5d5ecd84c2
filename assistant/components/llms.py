"""LLM backends behind our own `ChatModel`: an OpenAI-compatible server or a local GGUF.

The answer stage sees only `ChatModel` and `Message`; llama-index's `LLM` (which does the
server protocol and llama-cpp's prompt handling) stays inside this module.

`openai-compatible` covers Ollama, vLLM, LM Studio, llama.cpp's server and Azure OpenAI's
OpenAI-compatible endpoint: a base URL, a model name and a key from the environment.
`llama-cpp` runs a GGUF file in-process through llama-cpp-python (the optional extra
`referat[llama-cpp]`; it compiles from source). The default, `extractive`, needs neither.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from assistant.core.config import LlmSettings
from assistant.core.errors import ConfigError


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


class ChatModel(Protocol):
    def stream_chat(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply to `messages`, piece by piece as the model writes it."""
        ...

    def complete(self, prompt: str) -> str: ...


class LlamaIndexChatModel:
    """A llama-index `LLM` as our `ChatModel`."""

    def __init__(self, llm: LLM) -> None:
        self._llm = llm

    def stream_chat(self, messages: Sequence[Message]) -> Iterator[str]:
        chat = [ChatMessage(role=MessageRole(m.role), content=m.content) for m in messages]
        for response in self._llm.stream_chat(chat):
            yield response.delta or ""

    def complete(self, prompt: str) -> str:
        return self._llm.complete(prompt).text


def build_llm(settings: LlmSettings) -> ChatModel | None:
    """The configured model, or None for the extractive answerer."""
    if settings.llm == "extractive":
        return None
    return LlamaIndexChatModel(_llama_index_llm(settings))


def _llama_index_llm(settings: LlmSettings) -> LLM:
    if settings.llm == "openai-compatible":
        from llama_index.llms.openai_like import OpenAILike

        if not settings.llm_model:
            raise ConfigError(
                "REFERAT_LLM_MODEL mangler: navnet på modellen hos serveren "
                f"({settings.llm_base_url})."
            )
        return OpenAILike(
            model=settings.llm_model,
            api_base=settings.llm_base_url,
            # Local servers want no key; the client library insists on a non-empty one
            # (ASCII: it goes into an HTTP header).
            api_key=settings.llm_api_key.get_secret_value() or "no-key",
            is_chat_model=True,
            context_window=settings.llm_context_window,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
            timeout=settings.llm_timeout_s,
            max_retries=1,
        )
    return _local_gguf(settings)


def _local_gguf(settings: LlmSettings) -> LLM:
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError as error:
        raise ConfigError(
            "llm=llama-cpp kræver den valgfri del: pip install -e '.[llama-cpp]' "
            "(llama-cpp-python oversættes fra kildekode, ca. 5 minutter)."
        ) from error
    path = settings.llm_model_path
    if path is None or not path.is_file():
        raise ConfigError(
            f"GGUF-modellen {path} findes ikke. Hent en med `referat model fetch small` og "
            "sæt REFERAT_LLM_MODEL_PATH."
        )
    return LlamaCPP(
        model_path=str(path),
        temperature=settings.llm_temperature,
        max_new_tokens=settings.llm_max_tokens,
        context_window=settings.llm_context_window,
        messages_to_prompt=chatml,
        completion_to_prompt=lambda completion: chatml([ChatMessage(content=completion)]),
        model_kwargs={"n_threads": settings.llm_threads, "n_gpu_layers": 0},
        verbose=False,
    )


def chatml(messages: Sequence[ChatMessage]) -> str:
    """ChatML, the chat format of the Qwen2.5 models that can be had here as packages;
    llama-index's default (Llama 2's [INST]) makes them ramble."""
    parts = [
        f"<|im_start|>{message.role.value}\n{message.content}<|im_end|>" for message in messages
    ]
    return "\n".join(parts) + "\n<|im_start|>assistant\n"
