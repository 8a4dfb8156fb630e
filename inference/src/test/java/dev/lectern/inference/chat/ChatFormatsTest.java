package dev.lectern.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tokenizer.GgufVocabulary;
import dev.lectern.inference.tokenizer.Tokenizer;
import dev.lectern.inference.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection from {@code tokenizer.chat_template} markers and rendering. Expected strings follow each
 * format's public description: Meta's Llama 3 model card ("Prompt format"), Qwen's ChatML docs,
 * Meta's Llama 2 reference {@code chat_completion} (B_INST/E_INST, B_SYS/E_SYS), Mistral's
 * Instruct v0.1 template, Microsoft's Phi-3 template (the one stored in ggml-vocab-phi-3.gguf).
 */
class ChatFormatsTest {

    private static final Path VOCAB = Path.of("src/test/resources/shared/models/vocab");

    // Short templates with each family's markers (abridged from the models' tokenizer_config.json).
    static final String LLAMA3_TEMPLATE = "{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}";
    static final String QWEN2_TEMPLATE = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";
    static final String QWEN3_TEMPLATE = "{%- if messages[0].role == 'system' %}{{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}{%- endif %}"
            + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- if enable_thinking is defined and enable_thinking is false %}"
            + "{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}{%- endif %}";
    static final String LLAMA2_TEMPLATE = "{% if messages[0]['role'] == 'system' %}{% set system_message = '<<SYS>>\\n' + messages[0]['content'] | trim + '\\n<</SYS>>\\n\\n' %}{% endif %}{{ bos_token + '[INST] ' + content | trim + ' [/INST]' }}";
    static final String MISTRAL_TEMPLATE = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";
    static final String HARMONY_TEMPLATE = "{{- '<|start|>system<|message|>' }}{{- '<|start|>assistant<|channel|>final<|message|>' + message.content + '<|end|>' }}";

    @Test
    void detectsEachFamilyByItsMarkers() {
        assertEquals("llama3", ChatFormats.detect(LLAMA3_TEMPLATE, "t").name());
        assertEquals("chatml", ChatFormats.detect(QWEN2_TEMPLATE, "t").name());
        assertEquals("chatml", ChatFormats.detect(QWEN3_TEMPLATE, "t").name());
        assertEquals("llama2", ChatFormats.detect(LLAMA2_TEMPLATE, "t").name());
        assertEquals("mistral", ChatFormats.detect(MISTRAL_TEMPLATE, "t").name());
        assertEquals("harmony", ChatFormats.detect(HARMONY_TEMPLATE, "t").name());
        assertEquals("plain", ChatFormats.detect(null, "t").name());
        assertEquals("plain", ChatFormats.detect("  ", "t").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChatFormats.detect("{{ '<start_of_turn>' + role }}", "gemma.gguf"));
        assertTrue(e.getMessage().startsWith("gemma.gguf: tokenizer.chat_template: expected"), e.getMessage());
        assertEquals("mistral", ChatFormats.forName("Mistral").name());
        assertThrows(IllegalArgumentException.class, () -> ChatFormats.forName("jinja"));
    }

    @Test
    void phi3TemplateFromTheRealVocabularyFile() {
        Vocabulary phi3 = GgufVocabulary.read(GgufFile.open(VOCAB.resolve("ggml-vocab-phi-3.gguf")));
        ChatFormat format = ChatFormats.detect(phi3.chatTemplate(), phi3.source());
        assertInstanceOf(Phi3Format.class, format);
        // The stored template writes '<|user|>' + '\n' + content + '<|end|>' + '\n' + '<|assistant|>' + '\n'.
        assertEquals("<|user|>\nHello<|end|>\n<|assistant|>\n", format.render(null, "Hello"));
    }

    @Test
    void llama3() {
        // Meta's Llama 3 model card; <|begin_of_text|> is the BOS the tokenizer adds. Content is trimmed.
        String expected = "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful AI assistant<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        ChatFormat f = ChatFormats.forName("llama3");
        assertEquals(expected, f.render("You are a helpful AI assistant", " What is the capital of France?\n"));
        assertEquals("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                f.render(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Bye"))));
    }

    @Test
    void llama3PromptTokenizesToItsControlTokens() {
        Tokenizer t = GgufVocabulary.tokenizer(GgufFile.open(VOCAB.resolve("ggml-vocab-llama-bpe.gguf")));
        int[] ids = t.encode(ChatFormats.forName("llama3").render(null, "Hi"), true, true);
        // <|begin_of_text|> <|start_header_id|> user <|end_header_id|> \n\n Hi <|eot_id|> <|start_header_id|> assistant <|end_header_id|> \n\n
        assertEquals(11, ids.length, Arrays.toString(ids));
        assertEquals(List.of(128000, 128006, 128007, 128009, 128006, 128007),
                List.of(ids[0], ids[1], ids[3], ids[6], ids[7], ids[9]));
        assertEquals(t.tokenId("user"), ids[2]);
        assertEquals(t.tokenId("assistant"), ids[8]);
        assertEquals(t.tokenId("ĊĊ"), ids[4]);
        assertEquals(ids[4], ids[10]);
    }

    @Test
    void chatMlWithTheTemplatesDefaultSystemMessage() {
        ChatFormat qwen2 = ChatFormats.detect(QWEN2_TEMPLATE, "t");
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
                qwen2.render(null, "Hello"));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
                qwen2.render("Be brief.", "Hello"));
        // Qwen3's template writes no system message of its own; with enable_thinking false it opens the
        // reply with an empty think block. Templates without the switch ignore withThinking.
        ChatFormat qwen3 = ChatFormats.detect(QWEN3_TEMPLATE, "t");
        assertEquals("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", qwen3.render(null, "Hello"));
        assertEquals("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                qwen3.withThinking(false).render(null, "Hello"));
        assertEquals(qwen2.render(null, "Hello"), qwen2.withThinking(false).render(null, "Hello"));

        Tokenizer t = GgufVocabulary.tokenizer(GgufFile.open(VOCAB.resolve("ggml-vocab-qwen2.gguf")));
        int[] ids = t.encode(qwen2.render(null, "Hello"), true, true);
        assertEquals(151644, ids[0]);
        assertEquals(List.of(151644, 151645, 151644, 151645, 151644), Arrays.stream(ids).filter(t::isControl).boxed().toList());
    }

    @Test
    void llama2() {
        // Meta's llama/generation.py: B_INST + " " + (B_SYS + system + E_SYS + user).strip() + " " + E_INST;
        // a past answer is followed by EOS, the next turn starts with BOS.
        ChatFormat f = ChatFormats.forName("llama2");
        assertEquals("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHello [/INST]", f.render("Be brief.", "Hello"));
        List<ChatMessage> turns = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Bye"));
        assertEquals("[INST] Hi [/INST] Hello! </s><s>[INST] Bye [/INST]", f.render(turns));
        Tokenizer spm = GgufVocabulary.tokenizer(GgufFile.open(VOCAB.resolve("ggml-vocab-llama-spm.gguf")));
        int[] ids = spm.encode(f.render(turns), true, true);
        assertEquals(List.of(1, 2, 1), Arrays.stream(ids).filter(spm::isControl).boxed().toList());
    }

    @Test
    void mistral() {
        ChatFormat f = ChatFormats.forName("mistral");
        assertEquals("[INST] Hello [/INST]", f.render(null, "Hello"));
        assertEquals("[INST] Be brief.\n\nHello [/INST]", f.render("Be brief.", "Hello"));
        assertEquals("[INST] Hi [/INST]Hello!</s>[INST] Bye [/INST]",
                f.render(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Bye"))));
    }

    @Test
    void thinkBlocksAreSeparatedFromTheAnswer() {
        assertEquals("The answer.", ThinkBlocks.stripLeading("<think>\nLet me see.\n</think>\n\nThe answer."));
        assertEquals("The answer.", ThinkBlocks.stripLeading("</think>\n\nThe answer."));
        assertEquals("", ThinkBlocks.stripLeading("<think>\nStill thinking when the budget ran out"));
        assertEquals(" Plain answer with <think> inside.", ThinkBlocks.stripLeading(" Plain answer with <think> inside."));
    }

    @Test
    void plainCompletion() {
        ChatFormat f = ChatFormats.forName("plain");
        assertEquals("Once upon a time", f.render(null, "Once upon a time"));
        assertEquals("Summarize.\n\nThe text.", f.render("Summarize.", "The text."));
    }
}
