package layer45.customizations.bulktag.stream;

import layer45.api.Chunk;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

/** The sending end of a tag pair: a tag after every interval of what the application sends; receiving passes. */
public abstract class TagSender extends TaggingModule {

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        started(flow.state(PeriodicTags::new)).insert(source, output);
        if (source.remaining() > 0) {
            source.holdUnread(); // more than the output limit: the rest goes out with the next chunk
        }
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return Verdict.NO_CUSTOMIZATION;
    }
}
