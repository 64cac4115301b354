"""Drives a running `rag serve` with the official `openai` Python package, as a chatbot would.

Usage: openai_client_check.py BASE_URL API_KEY. Exits non-zero on the first failed check.
"""
import sys

import openai

base_url, api_key = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base_url + "/v1", api_key=api_key, max_retries=0, timeout=120)
checks = 0


def check(condition, what):
    global checks
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1


models = client.models.list()
ids = [model.id for model in models.data]
check("SmolLM2-135M-Instruct.Q4_1" in ids, f"models list holds the base model: {ids}")
check("aurora-qv" in ids, f"models list holds the preloaded adapter: {ids}")
adapter = next(model for model in models.data if model.id == "aurora-qv")
check(getattr(adapter, "parent", None) == "SmolLM2-135M-Instruct.Q4_1", "the adapter names its parent")

completion = client.chat.completions.create(
    model="SmolLM2-135M-Instruct.Q4_1",
    messages=[{"role": "user", "content": "How long does a full charge take?"}],
    max_tokens=32,
    temperature=0,
)
check(completion.object == "chat.completion", "a chat completion object")
check(completion.choices[0].message.role == "assistant", "the assistant answers")
check(len(completion.choices[0].message.content) > 0, "the answer has text")
check(completion.usage.total_tokens > completion.usage.completion_tokens > 0, "usage counts tokens")
sources = (completion.model_extra or {}).get("sources")
check(isinstance(sources, list), "sources come back in an extra field")

adapted = client.chat.completions.create(
    model="aurora-qv", messages=[{"role": "user", "content": "Hi"}], max_tokens=8, extra_body={"rag": {"enabled": False}}
)
check(adapted.model == "aurora-qv", "the adapter answers when named as the model")

pieces = []
stream = client.chat.completions.create(
    model="SmolLM2-135M-Instruct.Q4_1",
    messages=[{"role": "user", "content": "How do I clean the filter?"}],
    max_tokens=24,
    stream=True,
)
finish = None
for chunk in stream:
    if chunk.choices:
        pieces.append(chunk.choices[0].delta.content or "")
        finish = chunk.choices[0].finish_reason or finish
check(len("".join(pieces)) > 0, "the streamed answer has text")
check(finish in ("stop", "length"), f"the stream ends with a finish reason: {finish}")

embeddings = client.embeddings.create(model="all-MiniLM-L6-v2", input=["battery life", "filter"])
check(len(embeddings.data) == 2, "two embeddings")
check(len(embeddings.data[0].embedding) == 384, "384 dimensions")
norm = sum(value * value for value in embeddings.data[0].embedding)
check(abs(norm - 1) < 1e-3, f"unit length: {norm}")

try:
    client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "Hi"}])
    check(False, "an unknown model is refused")
except openai.NotFoundError as error:
    check(error.status_code == 404, "404 for an unknown model")
    check("no-such-model" in str(error), "the error names the model")

try:
    client.chat.completions.create(model="SmolLM2-135M-Instruct.Q4_1", messages=[], max_tokens=4)
    check(False, "empty messages are refused")
except openai.BadRequestError as error:
    check(error.status_code == 400, "400 for empty messages")

unauthorized = openai.OpenAI(base_url=base_url + "/v1", api_key="wrong", max_retries=0)
try:
    unauthorized.models.list()
    check(False, "a wrong key is refused")
except openai.AuthenticationError as error:
    check(error.status_code == 401, "401 for a wrong key")

print(f"openai client: {checks} checks passed")
