/// English function words left out of keyword queries.
///
/// BM25 gives every query term some weight, and in a small collection even "my" or "the" is rare
/// enough to matter: "my vacuum says E1" ranked a short chunk titled "Which reset keeps my maps?"
/// above the E1 section. Dropping function words from the query (never from the index, so a
/// phrase made only of them still matches) leaves the ranking to the words that carry meaning.
public enum KeywordStopwords {
    /// Lower-cased words: articles, pronouns, auxiliaries, prepositions, conjunctions and question words.
    static let english: Set<String> = [
        "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
        "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "itself", "just", "me", "more", "most", "my", "myself", "of", "off", "on", "once", "only", "or",
        "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
        "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours", "yourself", "yourselves",
    ]

    public static func contains(_ word: String) -> Bool { english.contains(word.lowercased()) }
}
