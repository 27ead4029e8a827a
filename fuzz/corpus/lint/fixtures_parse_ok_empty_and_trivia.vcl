# fixture: only comments, blank lines and white space; no declarations at all, so parse gives no backends

   
# backend F_commented_out { .host = "example.com"; }
// backend also_commented_out { .port = "443"; }
/* backend in_a_block {
     .host = "example.com";
   }
*/
	
/* a } and a { and a " and a {" in a block comment */ // then a slash comment
/**/


# the last line has no newline