# error: the file ends right after the opening brace, with no newline
backend F_x {