// Separate compilation of Asio, Asio SSL and Beast (STYLE.md §11.3): their out-of-line code is
// compiled once here instead of in every translation unit that includes them. The
// BOOST_*_SEPARATE_COMPILATION definitions are PUBLIC on fg_asio, so every user agrees.

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
