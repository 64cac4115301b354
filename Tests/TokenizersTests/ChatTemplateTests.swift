import Testing

@testable import Tokenizers

@Suite("ChatTemplate")
struct ChatTemplateTests {
    /// Qwen2.5's opening, written with `\n` escapes inside the literals as its GGUF has them.
    static let qwenLike = #"""
        {%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}\
        {%- else %}{{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}\
        {%- endif %}{%- for message in messages %}...{%- endfor %}
        """#

    static let llama3 = """
        {% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + \
        message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}\
        {% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}\
        {{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}
        """

    @Test("reads SmolLM2's template as ChatML with its default system message, from the template text")
    func readsSmolLM2Template() throws {
        let template = try ChatTemplate(template: SmolLM2.file().string("tokenizer.chat_template"))
        #expect(template.family == .chatML)
        #expect(template.defaultSystemMessage == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
    }

    @Test("renders the three reference chats byte for byte")
    func rendersReferenceChats() throws {
        let template = try ChatTemplate(template: SmolLM2.file().string("tokenizer.chat_template"))
        for (name, chat) in try SmolLM2.reference().chats {
            #expect(
                template.render(chat.messages, addGenerationPrompt: chat.addGenerationPrompt) == chat.rendered,
                "\(name)")
        }
    }

    @Test("inserts the default system message only before a conversation that lacks one")
    func defaultSystemMessage() throws {
        let template = try ChatTemplate(template: Self.qwenLike)
        #expect(template.defaultSystemMessage == "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")
        let user = ChatMessage(role: "user", content: "Hi")
        #expect(
            template.render([user], addGenerationPrompt: false)
                == "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n")
        #expect(
            template.render([ChatMessage(role: "system", content: "S"), user])
                == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        #expect(template.render([]) == "<|im_start|>assistant\n")

        let plain = try ChatTemplate(
            template: "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
                + "'<|im_end|>' + '\n'}}{% endfor %}")
        #expect(plain.family == .chatML && plain.defaultSystemMessage == nil)
        #expect(plain.render([user], addGenerationPrompt: false) == "<|im_start|>user\nHi<|im_end|>\n")
    }

    @Test("renders Llama 3 with trimmed content and leaves BOS to the tokenizer")
    func rendersLlama3() throws {
        let template = try ChatTemplate(template: Self.llama3)
        #expect(template.family == .llama3 && template.defaultSystemMessage == nil)
        let messages = [ChatMessage(role: "system", content: " Be brief.\n"), ChatMessage(role: "user", content: "Hi")]
        #expect(
            template.render(messages)
                == "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    @Test("an unknown template is an error naming its source")
    func refusesUnknownTemplates() {
        let mistral = "{{ bos_token }}{% for message in messages %}[INST] {{ message['content'] }} [/INST]{% endfor %}"
        #expect(
            throws: TokenizerError.unsupportedChatTemplate(
                path: "/m/model.gguf",
                reason: "it contains neither <|im_start|> (ChatML) nor <|start_header_id|> (Llama 3)")
        ) { try ChatTemplate(template: mistral, source: "/m/model.gguf") }
    }

    @Test("finds string literals only inside blocks, resolving escapes and skipping comments")
    func findsLiterals() {
        let template = #"Don't {{ 'a\'b\n' }} {# 'c' #} {% if x == "d}}" %}'e'{%- set y = 'f\q' -%}"#
        #expect(ChatTemplate.stringLiterals(in: template) == ["a'b\n", "d}}", "f\\q"])
    }
}
