"""LLM backends behind one llama-index `LLM`: an OpenAI-compatible server or a local GGUF.

`openai-compatible` covers Ollama, vLLM, LM Studio, llama.cpp's server and Azure OpenAI's
OpenAI-compatible endpoint: a base URL, a model name and a key from the environment.
`llama-cpp` runs a GGUF file in-process through llama-cpp-python (the optional extra
`referat[llama-cpp]`; it compiles from source). The default, `extractive`, needs neither.
"""

from __future__ import annotations

from collections.abc import Sequence

from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.llms import LLM

from assistant.core.config import Settings
from assistant.core.errors import ConfigError


def build_llm(settings: Settings) -> LLM | None:
    """The configured LLM, or None for the extractive answerer."""
    if settings.llm == "extractive":
        return None
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


def _local_gguf(settings: Settings) -> LLM:
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
