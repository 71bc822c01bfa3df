"""`clerk-advisor ask`: the questionnaire, read from the Requirements model.

    questions   the model -> sections of questions (text, kind, choices, conditions); pure
    validation  one candidate answer checked as the file loader checks the file
    session     going through the sections: headers, skipped questions, the summary
    prompts     a question -> a questionary prompt (the only module that loads questionary)
    document    the answers -> a new commented file, or an in-place edit of the user's

Importing this package loads neither questionary nor prompt_toolkit.
"""

from advisor.ask.document import new_document, updated_document
from advisor.ask.questions import Question, Section, all_questions, build_sections
from advisor.ask.session import questionnaire, summary

__all__ = [
    "Question", "Section", "all_questions", "build_sections", "new_document", "questionnaire", "summary",
    "updated_document",
]
