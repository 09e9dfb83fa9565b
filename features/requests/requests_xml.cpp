#include "features/requests/requests_xml.h"

#include <libxml/xmlwriter.h>

#include <memory>

namespace xf::requests {

namespace {

const xmlChar* x(const std::string& s) {
  return reinterpret_cast<const xmlChar*>(s.c_str());
}

std::string scalar_text(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::string singular(std::string_view name) {
  if (name.size() > 1 && name.back() == 's') name.remove_suffix(1);
  return std::string(name);
}

// Writes <name>…</name>; false when libxml2 reports a failure.
bool write_element(xmlTextWriterPtr w, const std::string& name,
                   const nlohmann::ordered_json& value) {
  if (xmlTextWriterStartElement(w, x(name)) < 0) return false;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it)
      if (!write_element(w, it.key(), it.value())) return false;
  } else if (value.is_array()) {
    std::string item = singular(name);
    for (const auto& v : value)
      if (!write_element(w, item, v)) return false;
  } else {
    std::string text = scalar_text(value);
    if (!text.empty() && xmlTextWriterWriteString(w, x(text)) < 0) return false;
  }
  return xmlTextWriterEndElement(w) >= 0;
}

}  // namespace

Result<std::string> xml_document(std::string_view root, std::string_view item,
                                 const nlohmann::ordered_json& value) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
  if (!buffer) return Error::internal("xmlBufferCreate failed");
  std::unique_ptr<xmlTextWriter, decltype(&xmlFreeTextWriter)> writer(
      xmlNewTextWriterMemory(buffer.get(), 0), xmlFreeTextWriter);
  if (!writer) return Error::internal("xmlNewTextWriterMemory failed");
  bool ok = xmlTextWriterStartDocument(writer.get(), "1.0", "UTF-8", nullptr) >= 0 &&
            xmlTextWriterStartElement(writer.get(), x(std::string(root))) >= 0;
  std::string item_name(item);
  if (ok && value.is_array()) {
    for (const auto& v : value) ok = ok && write_element(writer.get(), item_name, v);
  } else if (ok) {
    for (auto it = value.begin(); it != value.end(); ++it)
      ok = ok && write_element(writer.get(), it.key(), it.value());
  }
  ok = ok && xmlTextWriterEndElement(writer.get()) >= 0 &&
       xmlTextWriterEndDocument(writer.get()) >= 0;
  if (!ok) return Error::internal("libxml2 could not write the document");
  writer.reset();  // flushes into the buffer
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<size_t>(xmlBufferLength(buffer.get())));
}

}  // namespace xf::requests
